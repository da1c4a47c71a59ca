package dev.ticketing.events;

/**
 * A payment arrived for a reservation that was no longer pending; the payment is to be refunded.
 *
 * @param paymentId the payment that was rejected
 * @param reason whether the hold had expired or the reservation was cancelled
 */
public record ReservationRejected(
        long reservationId,
        long userId,
        long scheduleId,
        long paymentId,
        RejectionReason reason) implements ReservationEvent {

    public ReservationRejected {
        Checks.positive(reservationId, "reservationId");
        Checks.positive(userId, "userId");
        Checks.positive(scheduleId, "scheduleId");
        Checks.positive(paymentId, "paymentId");
        Checks.notNull(reason, "reason");
    }
}
