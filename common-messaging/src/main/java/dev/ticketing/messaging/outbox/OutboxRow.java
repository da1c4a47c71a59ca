package dev.ticketing.messaging.outbox;

import java.time.Instant;

/** One row of the outbox table: an envelope waiting for (or past) its publication. */
record OutboxRow(long id, String eventId, String topic, String key, String eventType, int schemaVersion,
                 String aggregateType, String aggregateId, String envelope, String traceparent,
                 Instant createdAt) {
}
