package dev.ticketing.messaging.consumer;

import dev.ticketing.events.DomainEvent;
import dev.ticketing.events.EventEnvelope;

import java.util.HashMap;
import java.util.Map;

/** What a consumer does with each event type it cares about; other types are skipped. */
public final class EventHandlers {

    private final Map<Class<? extends DomainEvent>, Handler<? extends DomainEvent>> byType;

    private EventHandlers(Map<Class<? extends DomainEvent>, Handler<? extends DomainEvent>> byType) {
        this.byType = Map.copyOf(byType);
    }

    public static Builder builder() {
        return new Builder();
    }

    @SuppressWarnings("unchecked")
    <E extends DomainEvent> Handler<E> find(Class<E> type) {
        return (Handler<E>) byType.get(type);
    }

    /** Applies one event; runs inside the transaction that records the event as processed. */
    @FunctionalInterface
    public interface Handler<E extends DomainEvent> {
        void handle(E event, EventEnvelope envelope);
    }

    public static final class Builder {
        private final Map<Class<? extends DomainEvent>, Handler<? extends DomainEvent>> byType = new HashMap<>();

        public <E extends DomainEvent> Builder on(Class<E> type, Handler<E> handler) {
            if (byType.putIfAbsent(type, handler) != null) {
                throw new IllegalArgumentException("Two handlers for " + type.getSimpleName());
            }
            return this;
        }

        public EventHandlers build() {
            return new EventHandlers(byType);
        }
    }
}
