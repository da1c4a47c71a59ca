package dev.ticketing.events;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.time.Instant;

/**
 * A reservation was paid from the user's balance. Keyed by reservationId.
 *
 * @param queueTokenId the queue token of the reservation, which this payment ends (UUID text)
 * @param amount the amount taken from the balance, in won
 */
public record PaymentCompleted(
        long paymentId,
        long reservationId,
        long userId,
        String queueTokenId,
        long amount,
        Instant paidAt) implements PaymentEvent {

    public PaymentCompleted {
        Checks.positive(paymentId, "paymentId");
        Checks.positive(reservationId, "reservationId");
        Checks.positive(userId, "userId");
        Checks.notBlank(queueTokenId, "queueTokenId");
        Checks.positive(amount, "amount");
        Checks.notNull(paidAt, "paidAt");
    }

    @Override
    @JsonIgnore
    public String aggregateType() {
        return PAYMENT_AGGREGATE_TYPE;
    }

    @Override
    @JsonIgnore
    public String aggregateId() {
        return Long.toString(paymentId);
    }

    @Override
    @JsonIgnore
    public String key() {
        return Long.toString(reservationId);
    }
}
