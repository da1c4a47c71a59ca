package dev.ticketing.events;

import java.util.List;

/**
 * A reservation was paid: its seats are sold.
 *
 * @param paymentId the payment that confirmed it
 */
public record ReservationConfirmed(
        long reservationId,
        long userId,
        long scheduleId,
        List<Integer> seatNos,
        long paymentId) implements ReservationEvent {

    public ReservationConfirmed {
        Checks.positive(reservationId, "reservationId");
        Checks.positive(userId, "userId");
        Checks.positive(scheduleId, "scheduleId");
        seatNos = Checks.seatNos(seatNos, "seatNos");
        Checks.positive(paymentId, "paymentId");
    }
}
