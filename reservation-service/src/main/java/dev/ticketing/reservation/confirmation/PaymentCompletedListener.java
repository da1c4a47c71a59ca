package dev.ticketing.reservation.confirmation;

import dev.ticketing.events.PaymentCompleted;
import dev.ticketing.events.ReservationConfirmed;
import dev.ticketing.events.Topics;
import dev.ticketing.messaging.consumer.EventHandlers;
import dev.ticketing.messaging.consumer.IdempotentConsumer;
import dev.ticketing.messaging.outbox.Outbox;
import dev.ticketing.reservation.hold.SeatHolds;
import dev.ticketing.reservation.reservation.ReservationRepository;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

import java.time.Clock;

/**
 * A completed payment confirms its reservation if the hold is still pending; if the hold already
 * expired or was cancelled, the payment is rejected (payment-service refunds it). A redelivered
 * event finds its id recorded and changes nothing.
 */
@Component
class PaymentCompletedListener {

    private static final Logger log = LoggerFactory.getLogger(PaymentCompletedListener.class);

    private final IdempotentConsumer consumer;
    private final EventHandlers handlers;

    PaymentCompletedListener(IdempotentConsumer consumer, ReservationRepository reservations, SeatHolds holds,
                             Outbox outbox, Clock clock, MeterRegistry meters) {
        this.consumer = consumer;
        var confirmed = meters.counter("reservation.outcomes", "outcome", "confirmed");
        var rejected = meters.counter("reservation.outcomes", "outcome", "payment_rejected");
        this.handlers = EventHandlers.builder()
                .on(PaymentCompleted.class, (event, envelope) -> reservations.lockById(event.reservationId()).ifPresentOrElse(
                        reservation -> reservation.paid(event.paymentId(), clock.instant()).ifPresentOrElse(outcome -> {
                            if (outcome instanceof ReservationConfirmed) {
                                holds.sell(reservation.id());
                                confirmed.increment();
                                log.info("Reservation {} confirmed by payment {}", reservation.id(), event.paymentId());
                            } else {
                                rejected.increment();
                                log.info("Reservation {} rejected payment {}: no longer pending", reservation.id(), event.paymentId());
                            }
                            reservations.flush();
                            outbox.publish(outcome);
                        }, () -> {
                            if (!Long.valueOf(event.paymentId()).equals(reservation.paymentId())) {
                                log.warn("Reservation {} was confirmed by payment {}; payment {} changes nothing",
                                        reservation.id(), reservation.paymentId(), event.paymentId());
                            }
                        }),
                        () -> log.warn("Payment {} names unknown reservation {}", event.paymentId(), event.reservationId())))
                .build();
    }

    @KafkaListener(topics = Topics.PAYMENT_EVENTS)
    void on(ConsumerRecord<String, String> record) {
        consumer.consume(record, handlers);
    }
}
