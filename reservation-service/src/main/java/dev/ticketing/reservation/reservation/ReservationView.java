package dev.ticketing.reservation.reservation;

import io.swagger.v3.oas.annotations.media.Schema;

import java.time.Instant;
import java.util.List;

/** The reservation view of DESIGN section 3. */
@Schema(description = "A hold of seats and where it stands")
public record ReservationView(
        @Schema(example = "42") long reservationId,
        @Schema(example = "7") long userId,
        @Schema(example = "1") long concertId,
        @Schema(example = "12") long scheduleId,
        @Schema(description = "the seats held, ascending", example = "[10, 11]") List<Integer> seatNos,
        @Schema(description = "the price of the seats, in won", example = "300000") long amount,
        @Schema(description = "PENDING_PAYMENT while held; CONFIRMED once paid; EXPIRED when the hold ran out; "
                + "CANCELLED by its owner") ReservationStatus status,
        @Schema(description = "when the hold runs out unless paid", example = "2026-11-24T10:20:30Z")
        Instant expiresAt) {

    public static ReservationView of(Reservation r) {
        return new ReservationView(r.id(), r.userId(), r.concertId(), r.scheduleId(), r.seatNos(), r.amount(),
                r.status(), r.expiresAt());
    }
}
