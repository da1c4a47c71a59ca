package dev.ticketing.messaging.consumer;

import dev.ticketing.events.QueueTokenActivated;
import dev.ticketing.events.QueueTokenIssued;
import dev.ticketing.events.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

import java.util.concurrent.atomic.AtomicInteger;

/** A minimal service with one idempotent listener, as the real services wire theirs. */
@SpringBootApplication
class ConsumerTestApplication {

    static final String GROUP = "messaging-it";
    /** The token id prefix of this test's activations, the only ones the switches below affect. */
    static final String ACTIVATION = "activation-";

    @Bean
    SimpleMeterRegistry meterRegistry() {
        return new SimpleMeterRegistry();
    }

    @Component
    static class QueueEventsListener {

        final AtomicInteger attempts = new AtomicInteger();
        final AtomicInteger activationAttempts = new AtomicInteger();
        /** While set, activations fail as a bug would, or a read-only database: not classified transient, not poison. */
        volatile boolean activationsBroken;
        /** While set, activations are refused as poison, as a consumer that does not know their contract yet would. */
        volatile boolean activationsRefused;
        private final IdempotentConsumer consumer;
        private final EventHandlers handlers;

        QueueEventsListener(IdempotentConsumer consumer, JdbcTemplate jdbc) {
            this.consumer = consumer;
            this.handlers = EventHandlers.builder()
                    .on(QueueTokenIssued.class, (event, envelope) -> {
                        attempts.incrementAndGet();
                        if (event.tokenId().startsWith("lock-")) {
                            // Blocks while the test holds the row lock; times out after 1 s.
                            jdbc.update("UPDATE lockable SET value = value + 1 WHERE id = 1");
                        }
                        int updated = jdbc.update("UPDATE token_seen SET applied = applied + 1 WHERE token_id = ?", event.tokenId());
                        if (updated == 0) {
                            jdbc.update("INSERT INTO token_seen (token_id, applied) VALUES (?, 1)", event.tokenId());
                        }
                    })
                    .on(QueueTokenActivated.class, (event, envelope) -> {
                        // The switches apply to this test's own activations: other classes' events share the topic.
                        if (event.tokenId().startsWith(ACTIVATION)) {
                            activationAttempts.incrementAndGet();
                            if (activationsBroken) {
                                throw new IllegalStateException("a bug in the activation handler");
                            }
                            if (activationsRefused) {
                                throw new PoisonEventException("an activation this consumer cannot read yet");
                            }
                        }
                        // Counted like an issue: a token's activation may come after its issue was applied.
                        int updated = jdbc.update("UPDATE token_seen SET applied = applied + 1 WHERE token_id = ?", event.tokenId());
                        if (updated == 0) {
                            jdbc.update("INSERT INTO token_seen (token_id, applied) VALUES (?, 1)", event.tokenId());
                        }
                    })
                    .build();
        }

        EventHandlers handlers() {
            return handlers;
        }

        @KafkaListener(topics = Topics.QUEUE_EVENTS, groupId = GROUP)
        void on(ConsumerRecord<String, String> record) {
            consumer.consume(record, handlers);
        }
    }
}
