package dev.ticketing.concert.catalogue;

import dev.ticketing.messaging.web.PathIds;

/** A concert's id as a path names it: a positive decimal integer that fits a long. */
public record ConcertId(long value) {

    public ConcertId {
        if (value < 1) {
            throw new IllegalArgumentException("concertId must be a positive integer");
        }
    }

    /** Used by Spring MVC to bind a path variable; a refusal becomes 400 INVALID_REQUEST. */
    public static ConcertId of(String text) {
        return new ConcertId(PathIds.positive("concertId", text));
    }
}
