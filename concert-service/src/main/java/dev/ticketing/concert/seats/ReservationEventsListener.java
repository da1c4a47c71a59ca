package dev.ticketing.concert.seats;

import dev.ticketing.events.ReservationCancelled;
import dev.ticketing.events.ReservationConfirmed;
import dev.ticketing.events.ReservationCreated;
import dev.ticketing.events.ReservationExpired;
import dev.ticketing.events.Topics;
import dev.ticketing.messaging.consumer.EventHandlers;
import dev.ticketing.messaging.consumer.IdempotentConsumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Keeps the seat availability view from {@code reservation.events}. ReservationRejected has no
 * handler: a rejected payment never touched a seat (the reservation had already been released).
 */
@Component
class ReservationEventsListener {

    private final IdempotentConsumer consumer;
    private final EventHandlers handlers;

    ReservationEventsListener(IdempotentConsumer consumer, SeatAvailability seats) {
        this.consumer = consumer;
        this.handlers = EventHandlers.builder()
                .on(ReservationCreated.class, (e, envelope) -> seats.hold(e.scheduleId(), e.reservationId(), e.seatNos()))
                .on(ReservationConfirmed.class, (e, envelope) -> seats.sell(e.scheduleId(), e.reservationId(), e.seatNos()))
                .on(ReservationExpired.class, (e, envelope) -> seats.release(e.scheduleId(), e.reservationId(), e.seatNos()))
                .on(ReservationCancelled.class, (e, envelope) -> seats.release(e.scheduleId(), e.reservationId(), e.seatNos()))
                .build();
    }

    @KafkaListener(topics = Topics.RESERVATION_EVENTS)
    void on(ConsumerRecord<String, String> record) {
        consumer.consume(record, handlers);
    }
}
