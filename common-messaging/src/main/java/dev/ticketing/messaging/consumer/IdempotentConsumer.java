package dev.ticketing.messaging.consumer;

import dev.ticketing.events.DomainEvent;
import dev.ticketing.events.EventEnvelope;
import dev.ticketing.events.EventFormatException;
import dev.ticketing.events.EventJson;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * Applies each event once per consumer group: the event id is inserted into
 * {@code processed_event} in the same transaction as the handler's effect, so a redelivered or
 * concurrently delivered event finds the id taken and changes nothing.
 * <p>
 * Records that can never be processed throw {@link PoisonEventException} (dead-lettered by the
 * container's error handler); unknown event types, and types this consumer has no handler for,
 * are skipped.
 */
public class IdempotentConsumer {

    private static final Logger log = LoggerFactory.getLogger(IdempotentConsumer.class);

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final String defaultGroup;
    private final Counter applied;
    private final Counter duplicates;
    private final Counter skipped;

    public IdempotentConsumer(JdbcTemplate jdbc, TransactionTemplate tx, Clock clock, String defaultGroup,
                              MeterRegistry meters) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.clock = clock;
        this.defaultGroup = defaultGroup;
        this.applied = Counter.builder("messaging.consumer.events").tag("outcome", "applied").register(meters);
        this.duplicates = Counter.builder("messaging.consumer.events").tag("outcome", "duplicate").register(meters);
        this.skipped = Counter.builder("messaging.consumer.events").tag("outcome", "skipped").register(meters);
    }

    /** Handles a record for this service's consumer group. */
    public void consume(ConsumerRecord<String, String> record, EventHandlers handlers) {
        consume(record, defaultGroup, handlers);
    }

    /**
     * Handles a record for {@code group}.
     *
     * @return true if the handler ran, false if the event was a duplicate or skipped
     */
    public boolean consume(ConsumerRecord<String, String> record, String group, EventHandlers handlers) {
        EventEnvelope envelope = parse(record);
        if (envelope == null) {
            skipped.increment();
            return false;
        }
        return apply(envelope, group, handlers);
    }

    /** Applies an already parsed event at most once for {@code group}. */
    public boolean apply(EventEnvelope envelope, String group, EventHandlers handlers) {
        EventHandlers.Handler<DomainEvent> handler = handlerFor(envelope, handlers);
        if (handler == null) {
            skipped.increment();
            return false;
        }
        Boolean ran = tx.execute(status -> {
            if (!recordProcessed(group, envelope)) {
                return false;
            }
            handler.handle(envelope.payload(), envelope);
            return true;
        });
        if (Boolean.TRUE.equals(ran)) {
            applied.increment();
            return true;
        }
        duplicates.increment();
        log.debug("Event {} ({}) already processed by {}", envelope.eventId(), envelope.eventType(), group);
        return false;
    }

    /** Removes processed-event ids older than {@code retention}; returns how many. */
    public int purgeOlderThan(Duration retention) {
        LocalDateTime cutoff = LocalDateTime.ofInstant(clock.instant().minus(retention), ZoneOffset.UTC);
        int total = 0;
        int n;
        do {
            n = jdbc.update("DELETE FROM processed_event WHERE processed_at < ? ORDER BY processed_at LIMIT 10000", cutoff);
            total += n;
        } while (n == 10_000);
        return total;
    }

    private static EventEnvelope parse(ConsumerRecord<String, String> record) {
        if (record.value() == null) {
            throw new PoisonEventException("Record without a value at " + where(record));
        }
        try {
            return EventJson.read(record.value());
        } catch (EventFormatException e) {
            if (e.kind() == EventFormatException.Kind.UNKNOWN_EVENT_TYPE) {
                log.debug("Skipping unknown event type at {}: {}", where(record), e.getMessage());
                return null;
            }
            throw new PoisonEventException(e.kind() + " at " + where(record) + ": " + e.getMessage(), e);
        }
    }

    @SuppressWarnings("unchecked")
    private static EventHandlers.Handler<DomainEvent> handlerFor(EventEnvelope envelope, EventHandlers handlers) {
        return (EventHandlers.Handler<DomainEvent>) handlers.find(envelope.payload().getClass());
    }

    private boolean recordProcessed(String group, EventEnvelope envelope) {
        try {
            jdbc.update("INSERT INTO processed_event (consumer_group, event_id, processed_at) VALUES (?, ?, ?)",
                    group, envelope.eventId().toString(), LocalDateTime.ofInstant(clock.instant(), ZoneOffset.UTC));
            return true;
        } catch (DuplicateKeyException alreadyDone) {
            return false;
        }
    }

    private static String where(ConsumerRecord<?, ?> record) {
        return record.topic() + "-" + record.partition() + "@" + record.offset();
    }
}
