package dev.ticketing.messaging.tracing;

import dev.ticketing.events.EventHeaders;
import dev.ticketing.events.QueueTokenActivated;
import dev.ticketing.events.QueueTokenIssued;
import dev.ticketing.events.Topics;
import dev.ticketing.messaging.consumer.EventHandlers;
import dev.ticketing.messaging.consumer.IdempotentConsumer;
import dev.ticketing.messaging.outbox.Outbox;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A traced service as the real ones are wired: a listener that answers QueueTokenIssued with a
 * QueueTokenActivated through the outbox, so one trace runs request -> outbox -> consumer ->
 * outbox -> consumer. Spans stay in memory for the test to read.
 */
@SpringBootApplication
class TracingTestApplication {

    static final String GROUP = "tracing-it";
    static final String TOKEN_PREFIX = "traced-";

    @Bean
    InMemorySpanExporter spanExporter() {
        return InMemorySpanExporter.create();
    }

    @Component
    static class ChainingListener {

        /** The traceparent header each QueueTokenActivated arrived with, by token id. */
        final Map<String, String> activatedHeaders = new ConcurrentHashMap<>();
        private final IdempotentConsumer consumer;
        private final EventHandlers handlers;

        ChainingListener(IdempotentConsumer consumer, Outbox outbox) {
            this.consumer = consumer;
            this.handlers = EventHandlers.builder()
                    .on(QueueTokenIssued.class, (event, envelope) -> {
                        // Only this test's tokens: other test classes share the broker and the topic.
                        if (event.tokenId().startsWith(TOKEN_PREFIX)) {
                            outbox.publish(new QueueTokenActivated(event.tokenId(), event.userId(), 0));
                        }
                    })
                    .build();
        }

        @KafkaListener(topics = Topics.QUEUE_EVENTS, groupId = GROUP)
        void on(ConsumerRecord<String, String> record) {
            if (record.value().contains("\"QueueTokenActivated\"")) {
                Header header = record.headers().lastHeader(EventHeaders.TRACEPARENT);
                String tokenId = record.value().replaceAll("(?s).*\"tokenId\":\"([^\"]+)\".*", "$1");
                activatedHeaders.put(tokenId, header == null ? "none" : new String(header.value(), StandardCharsets.UTF_8));
            }
            consumer.consume(record, handlers);
        }
    }
}
