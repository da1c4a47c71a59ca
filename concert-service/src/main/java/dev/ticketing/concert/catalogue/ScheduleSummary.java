package dev.ticketing.concert.catalogue;

import java.time.Instant;

/** One date of a concert in C2; {@code availableSeats} comes from the seat availability view. */
record ScheduleSummary(long scheduleId, Instant startsAt, String timeZone, int totalSeats, int availableSeats) {
}
