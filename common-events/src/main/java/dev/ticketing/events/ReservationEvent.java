package dev.ticketing.events;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * An event about a reservation, published by reservation-service on {@code reservation.events}.
 * Keyed by scheduleId: every event about a seat of one schedule lands on one partition, so
 * consumers see a seat's holds and releases in commit order even across reservations.
 */
public sealed interface ReservationEvent extends DomainEvent
        permits ReservationCreated, ReservationConfirmed, ReservationExpired, ReservationCancelled,
        ReservationRejected {

    /** Aggregate type of every reservation event. */
    String AGGREGATE_TYPE = "Reservation";

    long reservationId();

    long userId();

    long scheduleId();

    @Override
    @JsonIgnore
    default String aggregateType() {
        return AGGREGATE_TYPE;
    }

    @Override
    @JsonIgnore
    default String aggregateId() {
        return Long.toString(reservationId());
    }

    @Override
    @JsonIgnore
    default String topic() {
        return Topics.RESERVATION_EVENTS;
    }

    @Override
    @JsonIgnore
    default String key() {
        return Long.toString(scheduleId());
    }
}
