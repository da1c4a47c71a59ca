package dev.ticketing.payment.saga;

import dev.ticketing.events.ReservationCancelled;
import dev.ticketing.events.ReservationCreated;
import dev.ticketing.events.ReservationExpired;
import dev.ticketing.events.ReservationRejected;
import dev.ticketing.events.Topics;
import dev.ticketing.messaging.consumer.EventHandlers;
import dev.ticketing.messaging.consumer.IdempotentConsumer;
import dev.ticketing.payment.payment.PaymentStatus;
import dev.ticketing.payment.payment.PendingPayments;
import dev.ticketing.payment.payment.Refunds;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

import java.time.Clock;

/**
 * payment-service's part of the saga (DESIGN section 8): a new reservation gets its pending
 * payment; one that expired or was cancelled unpaid ends it; a rejected payment is refunded.
 * Each handler checks state, so redelivered or reordered events change nothing.
 */
@Component
class ReservationEventsListener {

    private final IdempotentConsumer consumer;
    private final EventHandlers handlers;

    ReservationEventsListener(IdempotentConsumer consumer, PendingPayments pending, Refunds refunds, Clock clock) {
        this.consumer = consumer;
        this.handlers = EventHandlers.builder()
                .on(ReservationCreated.class, (event, envelope) -> pending.createIfAbsent(event.reservationId(),
                        event.userId(), event.queueTokenId(), event.amount(), event.expiresAt(), PaymentStatus.PENDING,
                        clock.instant()))
                .on(ReservationExpired.class, (event, envelope) -> refunds.endUnpaid(event.reservationId(), PaymentStatus.EXPIRED))
                .on(ReservationCancelled.class, (event, envelope) -> refunds.endUnpaid(event.reservationId(), PaymentStatus.CANCELLED))
                .on(ReservationRejected.class, (event, envelope) -> refunds.refund(event.paymentId(), event.reservationId(), event.reason()))
                .build();
    }

    @KafkaListener(topics = Topics.RESERVATION_EVENTS)
    void on(ConsumerRecord<String, String> record) {
        consumer.consume(record, handlers);
    }
}
