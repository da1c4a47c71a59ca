package dev.ticketing.messaging.web.openapi;

import dev.ticketing.web.ProblemCode;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a handler method as a route of the public API (DESIGN section 3): only these appear in the
 * service's OpenAPI document. The document adds what follows from the route's access and shape,
 * so that only the route's own refusals are listed here:
 * <ul>
 *     <li>the {@code Queue-Token} requirement and its refusals (401, and 403 {@code QUEUE_NOT_ADMITTED}
 *     on admitted routes), answered by the gateway;</li>
 *     <li>400 {@code INVALID_REQUEST} for a route that takes parameters or a body; 413 and 415 for a body;
 *     409 {@code IDEMPOTENCY_IN_PROGRESS} and 422 {@code IDEMPOTENCY_KEY_REUSED} for an
 *     {@code Idempotency-Key};</li>
 *     <li>429 {@code RATE_LIMITED} and 503 {@code SERVICE_UNAVAILABLE}, on every route.</li>
 * </ul>
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface PublicApi {

    /** What the gateway asks of the caller. */
    Access access();

    /** The refusals of this route beyond those above, e.g. its 404s and 409s. */
    ProblemCode[] problems() default {};
}
