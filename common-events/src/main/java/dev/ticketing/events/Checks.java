package dev.ticketing.events;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/** Argument checks shared by the event records; messages name the offending field. */
final class Checks {

    private Checks() {
    }

    static <T> T notNull(T value, String field) {
        return Objects.requireNonNull(value, () -> field + " must not be null");
    }

    static String notBlank(String value, String field) {
        notNull(value, field);
        if (value.isBlank()) {
            throw new IllegalArgumentException(field + " must not be blank");
        }
        return value;
    }

    static long positive(long value, String field) {
        if (value <= 0) {
            throw new IllegalArgumentException(field + " must be positive, was " + value);
        }
        return value;
    }

    static long notNegative(long value, String field) {
        if (value < 0) {
            throw new IllegalArgumentException(field + " must not be negative, was " + value);
        }
        return value;
    }

    /**
     * Checks seat numbers (non-empty, each at least 1, no duplicates) and returns an unmodifiable
     * copy. Order is kept as given: ascending order is the producer's responsibility.
     */
    static List<Integer> seatNos(List<Integer> seatNos, String field) {
        notNull(seatNos, field);
        if (seatNos.isEmpty()) {
            throw new IllegalArgumentException(field + " must not be empty");
        }
        Set<Integer> seen = new HashSet<>();
        for (Integer seatNo : seatNos) {
            if (seatNo == null) {
                throw new NullPointerException(field + " must not contain null");
            }
            if (seatNo < 1) {
                throw new IllegalArgumentException(field + " must be at least 1, was " + seatNo);
            }
            if (!seen.add(seatNo)) {
                throw new IllegalArgumentException(field + " must not repeat a seat, " + seatNo + " appears twice");
            }
        }
        return List.copyOf(seatNos);
    }
}
