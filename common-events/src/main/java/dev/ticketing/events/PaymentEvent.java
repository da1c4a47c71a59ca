package dev.ticketing.events;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * An event about money, published by payment-service on {@code payment.events}. Payments
 * (aggregate Payment) are keyed by reservationId; wallet charges (aggregate Wallet) by userId.
 */
public sealed interface PaymentEvent extends DomainEvent
        permits PaymentCompleted, PaymentRefunded, BalanceCharged {

    /** Aggregate type of PaymentCompleted and PaymentRefunded. */
    String PAYMENT_AGGREGATE_TYPE = "Payment";

    /** Aggregate type of BalanceCharged. */
    String WALLET_AGGREGATE_TYPE = "Wallet";

    long userId();

    @Override
    @JsonIgnore
    default String topic() {
        return Topics.PAYMENT_EVENTS;
    }
}
