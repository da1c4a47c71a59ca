package dev.ticketing.events;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * A completed payment was given back to the user's balance. Keyed by reservationId.
 *
 * @param amount the amount returned to the balance, in won
 * @param reason why the reservation rejected the payment
 */
public record PaymentRefunded(
        long paymentId,
        long reservationId,
        long userId,
        long amount,
        RejectionReason reason) implements PaymentEvent {

    public PaymentRefunded {
        Checks.positive(paymentId, "paymentId");
        Checks.positive(reservationId, "reservationId");
        Checks.positive(userId, "userId");
        Checks.positive(amount, "amount");
        Checks.notNull(reason, "reason");
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
