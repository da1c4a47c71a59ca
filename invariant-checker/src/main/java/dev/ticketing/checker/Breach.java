package dev.ticketing.checker;

import java.util.Objects;

/**
 * One breach of an invariant by one subject, such as {@code "user 7"}, {@code "reservation 42"},
 * {@code "payment 9"}, {@code "concert.seat schedule 3 seat 12"} or {@code "queue token <id>"}.
 * Every fault of a subject under one invariant is in {@code detail}, separated by "; ".
 */
public record Breach(Invariant invariant, String subject, String detail) {

    public Breach {
        Objects.requireNonNull(invariant, "invariant");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(detail, "detail");
    }

    @Override
    public String toString() {
        return invariant + " " + subject + ": " + detail;
    }
}
