package dev.ticketing.events;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * An event about a queue token, published by queue-service on {@code queue.events}, keyed by
 * userId.
 */
public sealed interface QueueEvent extends DomainEvent
        permits QueueTokenIssued, QueueTokenActivated, QueueTokenExpired {

    /** Aggregate type of every queue event. */
    String AGGREGATE_TYPE = "QueueToken";

    /** The token id (the JWT {@code jti}, UUID text). */
    String tokenId();

    long userId();

    @Override
    @JsonIgnore
    default String aggregateType() {
        return AGGREGATE_TYPE;
    }

    @Override
    @JsonIgnore
    default String aggregateId() {
        return tokenId();
    }

    @Override
    @JsonIgnore
    default String topic() {
        return Topics.QUEUE_EVENTS;
    }

    @Override
    @JsonIgnore
    default String key() {
        return Long.toString(userId());
    }
}
