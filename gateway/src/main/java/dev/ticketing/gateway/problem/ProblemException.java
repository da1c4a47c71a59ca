package dev.ticketing.gateway.problem;

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

    private final HttpStatus status;
    private final String code;
    private final HttpHeaders headers;

    private ProblemException(HttpStatus status, String code, String detail, HttpHeaders headers) {
        // No stack trace: these are answers to clients, thrown on every refused request.
        super(detail, null, false, false);
        this.status = status;
        this.code = code;
        this.headers = HttpHeaders.readOnlyHttpHeaders(headers);
    }

    private static ProblemException of(HttpStatus status, String code, String detail) {
        return new ProblemException(status, code, detail, new HttpHeaders());
    }

    public static ProblemException notFound() {
        return of(HttpStatus.NOT_FOUND, "NOT_FOUND", "no such resource");
    }

    public static ProblemException methodNotAllowed(Set<HttpMethod> allowed) {
        HttpHeaders headers = new HttpHeaders();
        headers.setAllow(allowed);
        return new ProblemException(HttpStatus.METHOD_NOT_ALLOWED, "METHOD_NOT_ALLOWED",
                "method not allowed here; allowed: " + headers.getFirst(HttpHeaders.ALLOW), headers);
    }

    public static ProblemException payloadTooLarge() {
        return of(HttpStatus.PAYLOAD_TOO_LARGE, "PAYLOAD_TOO_LARGE", "request body too large (at most 16 KiB)");
    }

    public static ProblemException unsupportedMediaType() {
        return of(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "UNSUPPORTED_MEDIA_TYPE", "send application/json");
    }

    public static ProblemException rateLimited(Duration retryAfter) {
        return new ProblemException(HttpStatus.TOO_MANY_REQUESTS, "RATE_LIMITED",
                "too many requests; retry later", retryAfter(retryAfter));
    }

    public static ProblemException tokenMissing() {
        return of(HttpStatus.UNAUTHORIZED, "TOKEN_MISSING", "header Queue-Token is required");
    }

    public static ProblemException tokenInvalid() {
        // One detail for every reason: a forger learns nothing about which check failed.
        return of(HttpStatus.UNAUTHORIZED, "TOKEN_INVALID", "the queue token is not valid");
    }

    public static ProblemException tokenExpired() {
        return of(HttpStatus.UNAUTHORIZED, "TOKEN_EXPIRED", "the queue token has expired; join the queue again");
    }

    public static ProblemException queueNotAdmitted() {
        return of(HttpStatus.FORBIDDEN, "QUEUE_NOT_ADMITTED", "the queue token has not been admitted yet");
    }

    public static ProblemException serviceUnavailable() {
        return new ProblemException(HttpStatus.SERVICE_UNAVAILABLE, "SERVICE_UNAVAILABLE",
                "a service this request needs is unavailable; retry shortly",
                retryAfter(SERVICE_UNAVAILABLE_RETRY_AFTER));
    }

    /**
     * This gateway instance already has as many requests in progress as it takes: refused at once, before any
     * work, so that the requests it has taken finish in time and its memory stays bounded.
     */
    public static ProblemException overloaded() {
        return new ProblemException(HttpStatus.SERVICE_UNAVAILABLE, "SERVICE_UNAVAILABLE",
                "the gateway is at capacity; retry shortly", retryAfter(SERVICE_UNAVAILABLE_RETRY_AFTER));
    }

    static ProblemException invalidRequest(String detail) {
        return of(HttpStatus.BAD_REQUEST, "INVALID_REQUEST", detail);
    }

    static ProblemException internalError() {
        return of(HttpStatus.INTERNAL_SERVER_ERROR, "INTERNAL_ERROR", "unexpected error");
    }

    static ProblemException other(HttpStatus status) {
        return of(status, status.name(), status.getReasonPhrase());
    }

    private static HttpHeaders retryAfter(Duration wait) {
        HttpHeaders headers = new HttpHeaders();
        // Whole seconds, rounded up so a client that obeys never comes back too early.
        long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
        headers.set(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
        return headers;
    }

    public HttpStatus status() {
        return status;
    }

    public String code() {
        return code;
    }

    public HttpHeaders headers() {
        return headers;
    }
}
