package dev.ticketing.concert.seats;

import io.swagger.v3.oas.annotations.media.Schema;

import java.util.List;

/** C3: every seat of a date, in seat order. */
record SeatMap(@Schema(example = "12") long scheduleId,
               @Schema(description = "every seat, in seat order") List<Seat> seats) {

    record Seat(@Schema(example = "10") int seatNo,
                @Schema(example = "VIP") String grade,
                @Schema(description = "in won", example = "150000") long price,
                @Schema(description = "AVAILABLE to hold, HELD by a reservation waiting for payment, or SOLD")
                SeatStatus status) {
    }
}
