package dev.ticketing.events;

import java.util.List;

/** The user cancelled an unpaid reservation: its seats are available again. */
public record ReservationCancelled(
        long reservationId,
        long userId,
        long scheduleId,
        List<Integer> seatNos) implements ReservationEvent {

    public ReservationCancelled {
        Checks.positive(reservationId, "reservationId");
        Checks.positive(userId, "userId");
        Checks.positive(scheduleId, "scheduleId");
        seatNos = Checks.seatNos(seatNos, "seatNos");
    }
}
