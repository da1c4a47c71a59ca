package dev.ticketing.events;

/**
 * Kafka record header names. The first three repeat envelope fields (UTF-8 text) so a consumer
 * can route or skip a record without parsing its value; {@code traceparent} is the W3C trace context.
 */
public final class EventHeaders {

    public static final String EVENT_ID = "eventId";
    public static final String EVENT_TYPE = "eventType";
    public static final String SCHEMA_VERSION = "schemaVersion";
    public static final String TRACEPARENT = "traceparent";

    private EventHeaders() {
    }
}
