package dev.ticketing.queue.expiry;

import dev.ticketing.events.PaymentCompleted;
import dev.ticketing.events.Topics;
import dev.ticketing.messaging.consumer.EventHandlers;
import dev.ticketing.messaging.consumer.IdempotentConsumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/** A completed payment ends the queue token it names: the buyer is done. */
@Component
class PaymentCompletedListener {

    private static final Logger log = LoggerFactory.getLogger(PaymentCompletedListener.class);

    private final IdempotentConsumer consumer;
    private final EventHandlers handlers;

    PaymentCompletedListener(IdempotentConsumer consumer, TokenExpiry expiry) {
        this.consumer = consumer;
        this.handlers = EventHandlers.builder()
                .on(PaymentCompleted.class, (event, envelope) -> {
                    if (!expiry.expirePaid(event.queueTokenId())) {
                        // Already ended (time ran out, or a redelivery) or unknown here: nothing to do.
                        log.debug("Payment {} names token {} that is not live", event.paymentId(), event.queueTokenId());
                    }
                })
                .build();
    }

    @KafkaListener(topics = Topics.PAYMENT_EVENTS)
    void on(ConsumerRecord<String, String> record) {
        consumer.consume(record, handlers);
    }
}
