package dev.ticketing.messaging.tracing;

/** Supplies the current W3C traceparent for outbox rows; tracing plugs one in ({@link CurrentTraceparent}). */
@FunctionalInterface
public interface TraceparentSource {
    String current();
}
