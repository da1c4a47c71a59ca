package dev.ticketing.messaging.web.openapi;

import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import org.springframework.core.annotation.AliasFor;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Documents a path variable that is an id: a positive whole number that fits a long, whatever
 * Java type binds it (a {@code String} parsed strictly, a value type, a {@code long}); anything else
 * is answered 400 {@code INVALID_REQUEST}.
 */
@Target(ElementType.PARAMETER)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Parameter(schema = @Schema(type = "integer", format = "int64", minimum = "1"))
public @interface PathId {

    /** What the id names, e.g. "the reservation". */
    @AliasFor(annotation = Parameter.class, attribute = "description")
    String value();

    @AliasFor(annotation = Parameter.class, attribute = "example")
    String example() default "";
}
