package dev.ticketing.payment.payment;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * Creates a reservation's payment the first time payment-service learns of the reservation, from
 * ReservationCreated or from reservation-service when P1 comes first. The unique key on the
 * reservation makes a second creation, from either source, change nothing.
 */
@Repository
public class PendingPayments {

    private final JdbcTemplate jdbc;

    PendingPayments(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * @param status PENDING, or EXPIRED or CANCELLED for a reservation that ended before its payment was recorded
     * @return whether the payment was created (false: it existed)
     */
    public boolean createIfAbsent(long reservationId, long userId, String queueTokenId, long amount, Instant deadline,
                                  PaymentStatus status, Instant now) {
        if (status.wasPaid()) {
            throw new IllegalArgumentException("a payment is created unpaid, not " + status);
        }
        LocalDateTime created = utc(now);
        try {
            jdbc.update("INSERT INTO payment (reservation_id, user_id, queue_token_id, amount, status, deadline, "
                            + "created_at, ended_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    reservationId, userId, queueTokenId, amount, status.name(), utc(deadline), created,
                    status == PaymentStatus.PENDING ? null : created);
            return true;
        } catch (DuplicateKeyException known) {
            // Only the statement is undone; the caller's transaction goes on.
            return false;
        }
    }

    private static LocalDateTime utc(Instant instant) {
        return LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
