package dev.ticketing.messaging.outbox;

import dev.ticketing.events.DomainEvent;
import dev.ticketing.events.EventEnvelope;
import dev.ticketing.events.EventJson;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Records events in the caller's transaction. Nothing is sent here: the row commits or rolls
 * back with the business change, and the {@link OutboxRelay} publishes committed rows afterwards.
 * Call it last in the transaction, after the state change it reports.
 */
public class Outbox {

    private static final Object WAKE_REGISTERED = new Object();

    private final OutboxStore store;
    private final Clock clock;
    private final Runnable onCommit;
    private final Supplier<String> traceparent;

    /**
     * @param jdbc        on the same DataSource as the business transaction, so it joins it
     * @param onCommit    run once after each committing transaction that recorded events
     *                    (wakes the relay)
     * @param traceparent the current W3C traceparent, or null; carried to the record headers
     */
    public Outbox(JdbcTemplate jdbc, Clock clock, Runnable onCommit, Supplier<String> traceparent) {
        this.store = new OutboxStore(jdbc);
        this.clock = clock;
        this.onCommit = onCommit;
        this.traceparent = traceparent;
    }

    /** Records {@code event}; returns the envelope it will be published in. */
    public EventEnvelope publish(DomainEvent event) {
        requireTransaction();
        Recorded recorded = record(event, traceparent.get());
        store.insert(recorded.row());
        wakeRelayAfterCommit();
        return recorded.envelope();
    }

    /**
     * Records several events in one statement, each with the trace it was caused in: for a
     * transaction that writes the work of several requests at once (a group commit), where the
     * current trace is only the writing thread's. Capture each request's trace with
     * {@link #currentTraceparent()} on its own thread.
     */
    public void publishAll(List<Traced> events) {
        requireTransaction();
        if (events.isEmpty()) {
            return;
        }
        store.insertAll(events.stream().map(e -> record(e.event(), e.traceparent()).row()).toList());
        wakeRelayAfterCommit();
    }

    /** The W3C traceparent of the current thread's span, or null: what {@link #publish} would record. */
    public String currentTraceparent() {
        return traceparent.get();
    }

    /** An event and the traceparent of the request that caused it (null for none). */
    public record Traced(DomainEvent event, String traceparent) {
    }

    private record Recorded(EventEnvelope envelope, OutboxRow row) {
    }

    private Recorded record(DomainEvent event, String traceparent) {
        EventEnvelope envelope = EventEnvelope.of(event, UUID.randomUUID(), clock.instant().truncatedTo(ChronoUnit.MICROS));
        return new Recorded(envelope, new OutboxRow(0, envelope.eventId().toString(), envelope.topic(), envelope.key(),
                envelope.eventType(), envelope.schemaVersion(), envelope.aggregateType(), envelope.aggregateId(),
                EventJson.write(envelope), traceparent, envelope.occurredAt()));
    }

    private static void requireTransaction() {
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalStateException("Outbox.publish must run inside the business transaction");
        }
    }

    private void wakeRelayAfterCommit() {
        if (!TransactionSynchronizationManager.isSynchronizationActive()
                || TransactionSynchronizationManager.hasResource(this)) {
            return;
        }
        TransactionSynchronizationManager.bindResource(this, WAKE_REGISTERED);
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                onCommit.run();
            }

            @Override
            public void afterCompletion(int status) {
                TransactionSynchronizationManager.unbindResourceIfPossible(Outbox.this);
            }
        });
    }
}
