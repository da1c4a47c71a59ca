package dev.ticketing.concert.catalogue;

import dev.ticketing.messaging.web.PathIds;

/** A schedule's (a date's) id as a path names it: a positive decimal integer that fits a long. */
public record ScheduleId(long value) {

    public ScheduleId {
        if (value < 1) {
            throw new IllegalArgumentException("scheduleId must be a positive integer");
        }
    }

    /** Used by Spring MVC to bind a path variable; a refusal becomes 400 INVALID_REQUEST. */
    public static ScheduleId of(String text) {
        return new ScheduleId(PathIds.positive("scheduleId", text));
    }
}
