package dev.ticketing.events;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * An event of the contract: an immutable record of ids and values, named in the past tense. The
 * record's components are the JSON payload; the methods below are derived from them and never
 * appear in JSON.
 *
 * <p>Kafka keys: {@code reservation.events} by scheduleId, {@code payment.events} by reservationId
 * (PaymentCompleted, PaymentRefunded) or userId (BalanceCharged), {@code queue.events} by userId.
 */
public sealed interface DomainEvent permits ReservationEvent, PaymentEvent, QueueEvent {

    /** The kind of aggregate the event is about: Reservation, Payment, Wallet or QueueToken. */
    @JsonIgnore
    String aggregateType();

    /** The id of that aggregate, as text. */
    @JsonIgnore
    String aggregateId();

    /** The topic the event is published on. */
    @JsonIgnore
    String topic();

    /** The Kafka record key, which fixes the partition and so the order consumers see. */
    @JsonIgnore
    String key();

    /** The event type name: the simple name of the record class, e.g. {@code ReservationCreated}. */
    @JsonIgnore
    default String eventType() {
        return EventType.of(getClass()).typeName();
    }

    /** The schema version this record class writes and reads. */
    @JsonIgnore
    default int schemaVersion() {
        return EventType.of(getClass()).schemaVersion();
    }
}
