package dev.ticketing.concert.catalogue;

import io.swagger.v3.oas.annotations.media.Schema;

record ConcertSummary(@Schema(example = "1") long concertId,
                      @Schema(example = "Aurora Strings: Winter Concerto") String title,
                      @Schema(example = "Seoul Arts Center Concert Hall") String venue) {
}
