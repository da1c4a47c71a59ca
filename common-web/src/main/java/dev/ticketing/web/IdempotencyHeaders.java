package dev.ticketing.web;

/**
 * The headers of a command a client may retry (R1, B2, P1; DESIGN section 3): the key it sends, and the one that
 * marks an answer replayed from the first execution.
 */
public final class IdempotencyHeaders {

    public static final String KEY = "Idempotency-Key";
    public static final String REPLAYED = "Idempotent-Replayed";

    private IdempotencyHeaders() {
    }
}
