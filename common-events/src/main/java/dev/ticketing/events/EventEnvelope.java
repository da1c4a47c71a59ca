package dev.ticketing.events;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;
import java.util.UUID;

/**
 * The Kafka record value: an event plus its metadata. {@code eventType}, {@code schemaVersion},
 * {@code aggregateType} and {@code aggregateId} are derived from the payload and must agree with
 * it; build one with {@link #of}.
 *
 * @param eventId unique per event; consumers deduplicate on it
 * @param occurredAt when the state change committed
 */
@JsonPropertyOrder({"eventId", "eventType", "schemaVersion", "occurredAt", "aggregateType", "aggregateId", "payload"})
public record EventEnvelope(
        UUID eventId,
        String eventType,
        int schemaVersion,
        Instant occurredAt,
        String aggregateType,
        String aggregateId,
        DomainEvent payload) {

    public EventEnvelope {
        Checks.notNull(eventId, "eventId");
        Checks.notNull(eventType, "eventType");
        Checks.notNull(occurredAt, "occurredAt");
        Checks.notNull(aggregateType, "aggregateType");
        Checks.notNull(aggregateId, "aggregateId");
        Checks.notNull(payload, "payload");
        requireMatch("eventType", eventType, payload.eventType());
        if (schemaVersion != payload.schemaVersion()) {
            throw new IllegalArgumentException("schemaVersion " + schemaVersion + " does not match "
                    + payload.eventType() + " schemaVersion " + payload.schemaVersion());
        }
        requireMatch("aggregateType", aggregateType, payload.aggregateType());
        requireMatch("aggregateId", aggregateId, payload.aggregateId());
    }

    /** Wraps {@code event}, taking type, schema version and aggregate from it. */
    public static EventEnvelope of(DomainEvent event, UUID eventId, Instant occurredAt) {
        Checks.notNull(event, "event");
        return new EventEnvelope(eventId, event.eventType(), event.schemaVersion(), occurredAt,
                event.aggregateType(), event.aggregateId(), event);
    }

    /** The topic of the payload. */
    @JsonIgnore
    public String topic() {
        return payload.topic();
    }

    /** The Kafka record key of the payload. */
    @JsonIgnore
    public String key() {
        return payload.key();
    }

    private static void requireMatch(String field, String actual, String expected) {
        if (!actual.equals(expected)) {
            throw new IllegalArgumentException(
                    field + " '" + actual + "' does not match the payload's '" + expected + "'");
        }
    }
}
