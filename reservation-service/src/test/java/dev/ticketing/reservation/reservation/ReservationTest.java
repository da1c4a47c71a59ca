package dev.ticketing.reservation.reservation;

import dev.ticketing.events.RejectionReason;
import dev.ticketing.events.ReservationConfirmed;
import dev.ticketing.events.ReservationRejected;
import org.junit.jupiter.api.Test;
import org.springframework.test.util.ReflectionTestUtils;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The aggregate's transitions, without Spring or a database. */
class ReservationTest {

    private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");

    @Test
    void confirmsAPendingReservationOnPaymentAndIgnoresTheSamePaymentAgain() {
        Reservation reservation = saved();

        assertThat(reservation.paid(77, NOW)).contains(new ReservationConfirmed(1, 5, 3, List.of(1, 2), 77));
        assertThat(reservation.status()).isEqualTo(ReservationStatus.CONFIRMED);
        assertThat(reservation.paid(77, NOW)).isEmpty();
    }

    @Test
    void rejectsAPaymentForAnExpiredOrCancelledReservation() {
        Reservation expired = saved();
        expired.expire(NOW);
        Reservation cancelled = saved();
        cancelled.cancel(NOW);

        assertThat(expired.paid(8, NOW)).contains(new ReservationRejected(1, 5, 3, 8, RejectionReason.HOLD_EXPIRED));
        assertThat(cancelled.paid(9, NOW)).contains(new ReservationRejected(1, 5, 3, 9, RejectionReason.CANCELLED));
        assertThat(expired.status()).isEqualTo(ReservationStatus.EXPIRED);
    }

    @Test
    void freesItsQueueTokenWhenItEnds() {
        Reservation reservation = saved();
        assertThat(ReflectionTestUtils.getField(reservation, "liveTokenId")).isEqualTo("token-1");

        reservation.cancel(NOW);

        assertThat(ReflectionTestUtils.getField(reservation, "liveTokenId")).isNull();
    }

    @Test
    void refusesToEndAReservationTwice() {
        Reservation reservation = saved();
        reservation.paid(77, NOW);

        assertThatThrownBy(() -> reservation.cancel(NOW)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> reservation.expire(NOW)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void expiresAtTheEndOfItsHoldTime() {
        assertThat(saved().expiresAt()).isEqualTo(NOW.plus(Duration.ofMinutes(5)));
    }

    private static Reservation saved() {
        Reservation r = Reservation.hold(5, "token-1", 2, 3, List.of(1, 2), 300_000, NOW, Duration.ofMinutes(5));
        ReflectionTestUtils.setField(r, "id", 1L); // as the database would assign it
        return r;
    }
}
