package dev.ticketing.events;

import java.util.List;

/** An unpaid hold ran out: its seats are available again. */
public record ReservationExpired(
        long reservationId,
        long userId,
        long scheduleId,
        List<Integer> seatNos) implements ReservationEvent {

    public ReservationExpired {
        Checks.positive(reservationId, "reservationId");
        Checks.positive(userId, "userId");
        Checks.positive(scheduleId, "scheduleId");
        seatNos = Checks.seatNos(seatNos, "seatNos");
    }
}
