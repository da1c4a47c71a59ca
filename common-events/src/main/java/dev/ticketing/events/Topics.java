package dev.ticketing.events;

import java.util.List;

/**
 * Kafka topic names of the event contract. Each topic has {@link #PARTITIONS} partitions and is
 * keyed as {@link DomainEvent#key()} describes.
 */
public final class Topics {

    /** Reservation events, keyed by scheduleId so all events about one seat stay in order. */
    public static final String RESERVATION_EVENTS = "reservation.events";

    /** Payment events keyed by reservationId, wallet charges keyed by userId. */
    public static final String PAYMENT_EVENTS = "payment.events";

    /** Queue token events, keyed by userId. */
    public static final String QUEUE_EVENTS = "queue.events";

    /** Every event topic, in the order above. */
    public static final List<String> ALL = List.of(RESERVATION_EVENTS, PAYMENT_EVENTS, QUEUE_EVENTS);

    /** Partition count of every event topic. */
    public static final int PARTITIONS = 6;

    private static final String DEAD_LETTER_SUFFIX = ".DLT";

    private Topics() {
    }

    /**
     * The dead-letter topic of one consumer group on one topic: {@code <topic>.<group>.DLT}, for
     * example {@code reservation.events.payment-service.DLT}.
     */
    public static String deadLetter(String topic, String consumerGroup) {
        Checks.notBlank(topic, "topic");
        Checks.notBlank(consumerGroup, "consumerGroup");
        return topic + "." + consumerGroup + DEAD_LETTER_SUFFIX;
    }
}
