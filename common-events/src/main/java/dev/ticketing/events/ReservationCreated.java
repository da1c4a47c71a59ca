package dev.ticketing.events;

import java.time.Instant;
import java.util.List;

/**
 * Seats were held for a user, pending payment until {@code expiresAt}.
 *
 * @param queueTokenId the queue token the reservation was made with (UUID text)
 * @param seatNos the held seats, ascending
 * @param amount the price of all held seats, in won
 * @param expiresAt the last instant a payment is accepted
 */
public record ReservationCreated(
        long reservationId,
        long userId,
        String queueTokenId,
        long concertId,
        long scheduleId,
        List<Integer> seatNos,
        long amount,
        Instant expiresAt) implements ReservationEvent {

    public ReservationCreated {
        Checks.positive(reservationId, "reservationId");
        Checks.positive(userId, "userId");
        Checks.notBlank(queueTokenId, "queueTokenId");
        Checks.positive(concertId, "concertId");
        Checks.positive(scheduleId, "scheduleId");
        seatNos = Checks.seatNos(seatNos, "seatNos");
        Checks.positive(amount, "amount");
        Checks.notNull(expiresAt, "expiresAt");
    }
}
