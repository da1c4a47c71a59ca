package dev.ticketing.concert.catalogue;

import io.swagger.v3.oas.annotations.media.Schema;

import java.time.Instant;

/** One date of a concert in C2; {@code availableSeats} comes from the seat availability view. */
record ScheduleSummary(@Schema(example = "12") long scheduleId,
                       @Schema(description = "when the concert starts (UTC)", example = "2026-12-24T10:00:00Z")
                       Instant startsAt,
                       @Schema(description = "the venue's time zone, to show startsAt in", example = "Asia/Seoul")
                       String timeZone,
                       @Schema(example = "50") int totalSeats,
                       @Schema(description = "seats neither held nor sold", example = "37") int availableSeats) {
}
