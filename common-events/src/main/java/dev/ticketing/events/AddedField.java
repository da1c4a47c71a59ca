package dev.ticketing.events;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a payload field added after its event type's schema version was first published.
 * Events written before the field existed lack it, so readers take it as optional (null when
 * absent; declare it with a boxed or reference type). Every field without this mark is required.
 * Adding a field this way keeps the schema version (see docs/events.md, "Versioning").
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.PARAMETER, ElementType.FIELD, ElementType.METHOD})
public @interface AddedField {

    /** The release or date that added the field, for readers of the contract. */
    String since();
}
