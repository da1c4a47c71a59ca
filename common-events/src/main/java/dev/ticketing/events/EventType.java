package dev.ticketing.events;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Registry of every event type: its name on the wire (the record's simple class name), record
 * class, topic and current schema version.
 */
public enum EventType {

    RESERVATION_CREATED(ReservationCreated.class, Topics.RESERVATION_EVENTS, 1),
    RESERVATION_CONFIRMED(ReservationConfirmed.class, Topics.RESERVATION_EVENTS, 1),
    RESERVATION_EXPIRED(ReservationExpired.class, Topics.RESERVATION_EVENTS, 1),
    RESERVATION_CANCELLED(ReservationCancelled.class, Topics.RESERVATION_EVENTS, 1),
    RESERVATION_REJECTED(ReservationRejected.class, Topics.RESERVATION_EVENTS, 1),
    PAYMENT_COMPLETED(PaymentCompleted.class, Topics.PAYMENT_EVENTS, 1),
    PAYMENT_REFUNDED(PaymentRefunded.class, Topics.PAYMENT_EVENTS, 1),
    BALANCE_CHARGED(BalanceCharged.class, Topics.PAYMENT_EVENTS, 1),
    QUEUE_TOKEN_ISSUED(QueueTokenIssued.class, Topics.QUEUE_EVENTS, 1),
    QUEUE_TOKEN_ACTIVATED(QueueTokenActivated.class, Topics.QUEUE_EVENTS, 1),
    QUEUE_TOKEN_EXPIRED(QueueTokenExpired.class, Topics.QUEUE_EVENTS, 1);

    private static final Map<String, EventType> BY_NAME = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(EventType::typeName, Function.identity()));

    private static final Map<Class<?>, EventType> BY_CLASS = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(EventType::eventClass, Function.identity()));

    private final Class<? extends DomainEvent> eventClass;
    private final String topic;
    private final int schemaVersion;

    EventType(Class<? extends DomainEvent> eventClass, String topic, int schemaVersion) {
        this.eventClass = eventClass;
        this.topic = topic;
        this.schemaVersion = schemaVersion;
    }

    /** The name used in the envelope's {@code eventType}, e.g. {@code ReservationCreated}. */
    public String typeName() {
        return eventClass.getSimpleName();
    }

    public Class<? extends DomainEvent> eventClass() {
        return eventClass;
    }

    public String topic() {
        return topic;
    }

    /** The schema version producers write and consumers accept. */
    public int schemaVersion() {
        return schemaVersion;
    }

    /** The type named {@code typeName}, if there is one. */
    public static Optional<EventType> find(String typeName) {
        return typeName == null ? Optional.empty() : Optional.ofNullable(BY_NAME.get(typeName));
    }

    /**
     * The type named {@code typeName}.
     *
     * @throws IllegalArgumentException if no event type has that name
     */
    public static EventType of(String typeName) {
        return find(typeName).orElseThrow(
                () -> new IllegalArgumentException("unknown event type: " + typeName));
    }

    /** The type of an event record class. */
    public static EventType of(Class<? extends DomainEvent> eventClass) {
        EventType type = BY_CLASS.get(eventClass);
        if (type == null) {
            // Unreachable while DomainEvent is sealed and this registry is complete (checked by a test).
            throw new IllegalArgumentException("unregistered event class: " + eventClass);
        }
        return type;
    }

    /** The type of an event. */
    public static EventType of(DomainEvent event) {
        return of(Checks.notNull(event, "event").getClass());
    }
}
