package dev.ticketing.payment.reservation;

import java.time.Instant;

/**
 * What payment-service needs of a reservation, as reservation-service's internal view gives it.
 *
 * @param status PENDING_PAYMENT, CONFIRMED, EXPIRED or CANCELLED
 */
public record ReservationInfo(long reservationId, long userId, long amount, String status, Instant expiresAt,
                              String queueTokenId) {
}
