package dev.ticketing.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventValidationTest {

    private static final String TOKEN = Samples.TOKEN_ID;
    private static final Instant AT = Instant.parse("2026-11-23T10:20:30Z");

    @Test
    void rejectsEmptySeatNos() {
        assertThatThrownBy(() -> new ReservationExpired(1, 2, 3, List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("seatNos must not be empty");
    }

    @Test
    void rejectsNullSeatNosAndNullSeats() {
        assertThatThrownBy(() -> new ReservationCancelled(1, 2, 3, null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("seatNos must not be null");
        assertThatThrownBy(() -> new ReservationCancelled(1, 2, 3, Arrays.asList(4, null)))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("seatNos must not contain null");
    }

    @Test
    void rejectsSeatNumbersBelowOne() {
        assertThatThrownBy(() -> new ReservationConfirmed(1, 2, 3, List.of(1, 0), 4))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("seatNos must be at least 1, was 0");
    }

    @Test
    void rejectsRepeatedSeat() {
        assertThatThrownBy(() -> new ReservationExpired(1, 2, 3, List.of(5, 6, 5)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("5 appears twice");
    }

    @Test
    void copiesSeatNosDefensivelyAndKeepsTheirOrder() {
        List<Integer> seats = new ArrayList<>(List.of(10, 11));
        ReservationExpired event = new ReservationExpired(1, 2, 3, seats);

        seats.add(12);

        assertThat(event.seatNos()).containsExactly(10, 11);
        assertThatThrownBy(() -> event.seatNos().add(13)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void rejectsIdsThatAreNotPositive() {
        assertThatThrownBy(() -> new ReservationRejected(0, 2, 3, 4, RejectionReason.CANCELLED))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("reservationId must be positive, was 0");
        assertThatThrownBy(() -> new ReservationCreated(1, -2, TOKEN, 3, 4, List.of(1), 100, AT))
                .hasMessage("userId must be positive, was -2");
        assertThatThrownBy(() -> new ReservationCreated(1, 2, TOKEN, 0, 4, List.of(1), 100, AT))
                .hasMessage("concertId must be positive, was 0");
        assertThatThrownBy(() -> new ReservationCreated(1, 2, TOKEN, 3, 0, List.of(1), 100, AT))
                .hasMessage("scheduleId must be positive, was 0");
        assertThatThrownBy(() -> new PaymentCompleted(0, 1, 2, TOKEN, 100, AT))
                .hasMessage("paymentId must be positive, was 0");
        assertThatThrownBy(() -> new BalanceCharged(1, 0, 100, 100))
                .hasMessage("chargeId must be positive, was 0");
        assertThatThrownBy(() -> new QueueTokenIssued(TOKEN, 0, 1))
                .hasMessage("userId must be positive, was 0");
    }

    @Test
    void rejectsAmountsThatAreNotPositive() {
        assertThatThrownBy(() -> new ReservationCreated(1, 2, TOKEN, 3, 4, List.of(1), 0, AT))
                .hasMessage("amount must be positive, was 0");
        assertThatThrownBy(() -> new PaymentCompleted(1, 2, 3, TOKEN, -1, AT))
                .hasMessage("amount must be positive, was -1");
        assertThatThrownBy(() -> new PaymentRefunded(1, 2, 3, 0, RejectionReason.HOLD_EXPIRED))
                .hasMessage("amount must be positive, was 0");
        assertThatThrownBy(() -> new BalanceCharged(1, 2, 0, 0))
                .hasMessage("amount must be positive, was 0");
    }

    @Test
    void rejectsBalanceAfterBelowChargedAmount() {
        assertThatThrownBy(() -> new BalanceCharged(1, 2, 5_000, 4_999))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("balanceAfter");
        assertThatCode(() -> new BalanceCharged(1, 2, 5_000, 5_000)).doesNotThrowAnyException();
    }

    @Test
    void rejectsMissingReferences() {
        assertThatThrownBy(() -> new ReservationCreated(1, 2, TOKEN, 3, 4, List.of(1), 100, null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("expiresAt must not be null");
        assertThatThrownBy(() -> new PaymentCompleted(1, 2, 3, TOKEN, 100, null))
                .hasMessage("paidAt must not be null");
        assertThatThrownBy(() -> new ReservationRejected(1, 2, 3, 4, null))
                .hasMessage("reason must not be null");
        assertThatThrownBy(() -> new PaymentRefunded(1, 2, 3, 100, null))
                .hasMessage("reason must not be null");
        assertThatThrownBy(() -> new QueueTokenExpired(TOKEN, 1, null))
                .hasMessage("reason must not be null");
    }

    @Test
    void rejectsBlankTokenIds() {
        assertThatThrownBy(() -> new QueueTokenIssued(" ", 1, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("tokenId must not be blank");
        assertThatThrownBy(() -> new QueueTokenActivated(null, 1, 0))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("tokenId must not be null");
        assertThatThrownBy(() -> new ReservationCreated(1, 2, "", 3, 4, List.of(1), 100, AT))
                .hasMessage("queueTokenId must not be blank");
        assertThatThrownBy(() -> new PaymentCompleted(1, 2, 3, null, 100, AT))
                .hasMessage("queueTokenId must not be null");
    }

    @Test
    void acceptsZeroWaitButNotNegativeWait() {
        assertThatCode(() -> new QueueTokenActivated(TOKEN, 1, 0)).doesNotThrowAnyException();
        assertThatThrownBy(() -> new QueueTokenActivated(TOKEN, 1, -1))
                .hasMessage("waitedMillis must not be negative, was -1");
    }

    @Test
    void rejectsSequenceBelowOne() {
        assertThatThrownBy(() -> new QueueTokenIssued(TOKEN, 1, 0))
                .hasMessage("sequence must be positive, was 0");
    }
}
