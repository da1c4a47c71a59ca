package dev.ticketing.payment;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.ticketing.testsupport.InternalEndpointStub;

import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * reservation-service's {@code /internal/reservations/{id}} as payment-service sees it over HTTP: a
 * real server that a test can stop and start.
 */
final class StubReservationService {

    private static final ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private final InternalEndpointStub endpoint = new InternalEndpointStub("/internal/reservations/", "RESERVATION_NOT_FOUND");

    String url() {
        return endpoint.url();
    }

    /** The internal view reservation-service gives, with more fields than payment-service reads. */
    void reservation(long reservationId, long userId, long amount, String status, Instant expiresAt, String queueTokenId) {
        try {
            endpoint.answer(reservationId, json.writeValueAsBytes(Map.of("reservationId", reservationId, "userId", userId,
                    "concertId", 1, "scheduleId", 2, "seatNos", List.of(1, 2), "amount", amount, "status", status,
                    "expiresAt", expiresAt, "queueTokenId", queueTokenId)));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    void start() {
        endpoint.start();
    }

    void stop() {
        endpoint.stop();
    }
}
