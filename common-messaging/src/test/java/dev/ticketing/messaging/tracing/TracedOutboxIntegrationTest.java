package dev.ticketing.messaging.tracing;

import dev.ticketing.events.Topics;
import dev.ticketing.events.QueueTokenIssued;
import dev.ticketing.messaging.outbox.Outbox;
import dev.ticketing.testsupport.TestInfrastructure;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One trace follows an event through the outbox and Kafka: the span that wrote the outbox row is
 * the parent of the consumer's span, and what the consumer writes to the outbox in turn carries
 * the consumer's span to the next consumer. Real MariaDB, real broker, spans in memory.
 */
// Spring Boot turns tracing off in tests unless asked.
@AutoConfigureObservability
@SpringBootTest(classes = TracingTestApplication.class, properties = {
        "spring.kafka.consumer.group-id=" + TracingTestApplication.GROUP,
        "spring.kafka.consumer.auto-offset-reset=earliest",
        "spring.kafka.listener.observation-enabled=true",
        "ticketing.messaging.consumes=" + Topics.QUEUE_EVENTS,
        "management.tracing.sampling.probability=1.0",
        "management.tracing.opentelemetry.export.schedule-delay=50ms"})
class TracedOutboxIntegrationTest {

    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @Autowired
    Tracer tracer;
    @Autowired
    Outbox outbox;
    @Autowired
    TransactionTemplate transactions;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    InMemorySpanExporter spans;
    @Autowired
    TracingTestApplication.ChainingListener listener;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        TestInfrastructure.register(registry, "tracing_it");
    }

    @Test
    void aRequestsTraceRunsThroughTheOutboxRowTheRecordAndEveryConsumerAfterIt() {
        String tokenId = TracingTestApplication.TOKEN_PREFIX + UUID.randomUUID();
        Span request = tracer.nextSpan().name("request").start();
        try (Tracer.SpanInScope ignored = tracer.withSpan(request)) {
            transactions.executeWithoutResult(tx -> outbox.publish(
                    new QueueTokenIssued(tokenId, ThreadLocalRandom.current().nextLong(1, 1_000_000), 1)));
        } finally {
            request.end();
        }
        String traceId = request.context().traceId();

        // The row keeps the request's span as a W3C traceparent.
        String issuedRow = jdbc.queryForObject("SELECT traceparent FROM outbox_event WHERE envelope LIKE ? AND event_type = 'QueueTokenIssued'",
                String.class, "%" + tokenId + "%");
        assertThat(issuedRow).isEqualTo("00-" + traceId + "-" + request.context().spanId() + "-01");

        // The consumer of QueueTokenIssued runs as a child of that span, and the QueueTokenActivated
        // it wrote comes back on the topic with the consumer's span in its header.
        await().atMost(PATIENCE).until(() -> listener.activatedHeaders.containsKey(tokenId));
        await().atMost(PATIENCE).until(() -> consumerSpans(traceId).size() >= 2);

        List<SpanData> consumed = consumerSpans(traceId);
        SpanData first = consumed.stream()
                .filter(s -> s.getParentSpanId().equals(request.context().spanId()))
                .findFirst().orElseThrow(() -> new AssertionError("no consumer span under the request: " + consumed));
        assertThat(listener.activatedHeaders.get(tokenId)).isEqualTo("00-" + traceId + "-" + first.getSpanId() + "-01");
        Optional<SpanData> second = consumed.stream().filter(s -> s.getParentSpanId().equals(first.getSpanId())).findFirst();
        assertThat(second).as("the second consumer continues from the first").isPresent();
        assertThat(consumed).allSatisfy(span -> assertThat(span.getAttributes().asMap().toString()).contains(Topics.QUEUE_EVENTS));
    }

    @Test
    void anEventWrittenOutsideAnyTraceHasNoTraceparent() {
        String tokenId = "untraced-" + UUID.randomUUID();
        transactions.executeWithoutResult(tx -> outbox.publish(new QueueTokenIssued(tokenId, 7, 1)));
        String row = jdbc.queryForObject("SELECT traceparent FROM outbox_event WHERE envelope LIKE ? AND event_type = 'QueueTokenIssued'",
                String.class, "%" + tokenId + "%");
        assertThat(row).isNull();
    }

    private List<SpanData> consumerSpans(String traceId) {
        return spans.getFinishedSpanItems().stream()
                .filter(s -> s.getTraceId().equals(traceId) && s.getKind() == SpanKind.CONSUMER)
                .toList();
    }
}
