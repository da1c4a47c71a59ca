package dev.ticketing.reservation.expiry;

import dev.ticketing.messaging.outbox.Outbox;
import dev.ticketing.reservation.hold.SeatHolds;
import dev.ticketing.reservation.reservation.HoldSettings;
import dev.ticketing.reservation.reservation.Reservation;
import dev.ticketing.reservation.reservation.ReservationRepository;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;

/**
 * Releases unpaid holds at {@code expiresAt + expiry-grace}. Safe with several instances: each
 * batch locks its reservations with SKIP LOCKED, so two instances take different ones, and a
 * payment's confirmation (which locks the same row) either comes first or finds it EXPIRED.
 */
@Component
public class HoldExpiry {

    static final int BATCH = 100;

    private final JdbcTemplate jdbc;
    private final ReservationRepository reservations;
    private final SeatHolds holds;
    private final Outbox outbox;
    private final HoldSettings settings;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final Counter expired;

    HoldExpiry(JdbcTemplate jdbc, ReservationRepository reservations, SeatHolds holds, Outbox outbox,
               HoldSettings settings, TransactionTemplate tx, Clock clock, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.reservations = reservations;
        this.holds = holds;
        this.outbox = outbox;
        this.settings = settings;
        this.tx = tx;
        this.clock = clock;
        this.expired = Counter.builder("reservation.outcomes").tag("outcome", "expired")
                .description("Reservations by how they ended").register(meters);
    }

    /** Expires every hold past its deadline and grace; returns how many. */
    public int expireDue() {
        int total = 0;
        int n;
        do {
            n = expireBatch();
            total += n;
        } while (n == BATCH);
        return total;
    }

    private int expireBatch() {
        Integer n = tx.execute(status -> {
            Instant now = clock.instant();
            LocalDateTime due = LocalDateTime.ofInstant(now.minus(settings.expiryGrace()), ZoneOffset.UTC);
            List<Long> ids = jdbc.queryForList("SELECT reservation_id FROM reservation WHERE status = 'PENDING_PAYMENT' "
                    + "AND expires_at <= ? ORDER BY expires_at, reservation_id LIMIT " + BATCH + " FOR UPDATE SKIP LOCKED",
                    Long.class, due);
            if (ids.isEmpty()) {
                return 0;
            }
            List<Reservation> dueReservations = reservations.findAllById(ids);
            for (Reservation reservation : dueReservations) {
                holds.release(reservation.id());
                var event = reservation.expire(now);
                reservations.flush();
                outbox.publish(event);
            }
            return dueReservations.size();
        });
        expired.increment(n);
        return n;
    }
}
