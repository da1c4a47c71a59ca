package dev.ticketing.gateway.problem;

import dev.ticketing.web.ProblemCode;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;

import java.time.Duration;
import java.util.Set;

/**
 * A refusal by the gateway itself, answered as {@code application/problem+json} with the stable
 * {@code code} of DESIGN section 3. The factories are the only codes the gateway produces, so the
 * list of refusals can be read here in one place.
 */
public final class ProblemException extends RuntimeException {

    /** Same value the services send with their 503s: a short, fixed back-off. */
    static final Duration SERVICE_UNAVAILABLE_RETRY_AFTER = Duration.ofSeconds(1);

    private final ProblemCode code;
    private final HttpHeaders headers;

    private ProblemException(ProblemCode code, String detail, HttpHeaders headers) {
        // No stack trace: these are answers to clients, thrown on every refused request.
        super(detail, null, false, false);
        this.code = code;
        this.headers = HttpHeaders.readOnlyHttpHeaders(headers);
    }

    private static ProblemException of(ProblemCode code, String detail) {
        return new ProblemException(code, detail, new HttpHeaders());
    }

    public static ProblemException notFound() {
        return of(ProblemCode.NOT_FOUND, "no such resource");
    }

    public static ProblemException methodNotAllowed(Set<HttpMethod> allowed) {
        HttpHeaders headers = new HttpHeaders();
        headers.setAllow(allowed);
        return new ProblemException(ProblemCode.METHOD_NOT_ALLOWED,
                "method not allowed here; allowed: " + headers.getFirst(HttpHeaders.ALLOW), headers);
    }

    public static ProblemException payloadTooLarge() {
        return of(ProblemCode.PAYLOAD_TOO_LARGE, "request body too large (at most 16 KiB)");
    }

    public static ProblemException unsupportedMediaType() {
        return of(ProblemCode.UNSUPPORTED_MEDIA_TYPE, "send application/json");
    }

    public static ProblemException rateLimited(Duration retryAfter) {
        return new ProblemException(ProblemCode.RATE_LIMITED,
                "too many requests; retry later", retryAfter(retryAfter));
    }

    public static ProblemException tokenMissing() {
        return of(ProblemCode.TOKEN_MISSING, "header Queue-Token is required");
    }

    public static ProblemException tokenInvalid() {
        // One detail for every reason: a forger learns nothing about which check failed.
        return of(ProblemCode.TOKEN_INVALID, "the queue token is not valid");
    }

    public static ProblemException tokenExpired() {
        return of(ProblemCode.TOKEN_EXPIRED, "the queue token has expired; join the queue again");
    }

    public static ProblemException queueNotAdmitted() {
        return of(ProblemCode.QUEUE_NOT_ADMITTED, "the queue token has not been admitted yet");
    }

    public static ProblemException serviceUnavailable() {
        return new ProblemException(ProblemCode.SERVICE_UNAVAILABLE,
                "a service this request needs is unavailable; retry shortly",
                retryAfter(SERVICE_UNAVAILABLE_RETRY_AFTER));
    }

    /**
     * This gateway instance already has as many requests in progress as it takes: refused at once, before any
     * work, so that the requests it has taken finish in time and its memory stays bounded.
     */
    public static ProblemException overloaded() {
        return new ProblemException(ProblemCode.SERVICE_UNAVAILABLE,
                "the gateway is at capacity; retry shortly", retryAfter(SERVICE_UNAVAILABLE_RETRY_AFTER));
    }

    static ProblemException invalidRequest(String detail) {
        return of(ProblemCode.INVALID_REQUEST, detail);
    }

    static ProblemException internalError() {
        return of(ProblemCode.INTERNAL_ERROR, "unexpected error");
    }

    /**
     * Another client error Spring raised: 406 keeps its code; anything else is the client's malformed request, since
     * the contract has no other code for it (it answered the status with its name as code until 2026-12-08).
     */
    static ProblemException other(HttpStatus status) {
        return status == HttpStatus.NOT_ACCEPTABLE ? of(ProblemCode.NOT_ACCEPTABLE, "responses are application/json")
                : invalidRequest(status.getReasonPhrase());
    }

    private static HttpHeaders retryAfter(Duration wait) {
        HttpHeaders headers = new HttpHeaders();
        // Whole seconds, rounded up so a client that obeys never comes back too early.
        long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
        headers.set(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
        return headers;
    }

    public HttpStatus status() {
        return code.status();
    }

    public ProblemCode code() {
        return code;
    }

    public HttpHeaders headers() {
        return headers;
    }
}
