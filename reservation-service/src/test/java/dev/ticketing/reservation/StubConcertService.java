package dev.ticketing.reservation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.ticketing.testsupport.InternalEndpointStub;

import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * concert-service's {@code /internal/schedules/{id}} as reservation-service sees it over HTTP: a
 * real server that a test can stop and start, counting the calls it answers.
 */
final class StubConcertService {

    private static final ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private final InternalEndpointStub endpoint = new InternalEndpointStub("/internal/schedules/", "SCHEDULE_NOT_FOUND");

    String url() {
        return endpoint.url();
    }

    /** A schedule of {@code seatCount} seats: 1-10 grade VIP at 150,000 won, the rest R at 100,000 + seatNo. */
    void schedule(long scheduleId, long concertId, Instant startsAt, int seatCount) {
        List<Map<String, Object>> seats = new ArrayList<>();
        for (int s = 1; s <= seatCount; s++) {
            seats.add(Map.of("seatNo", s, "grade", s <= 10 ? "VIP" : "R", "price", price(s)));
        }
        try {
            endpoint.answer(scheduleId, json.writeValueAsBytes(Map.of("scheduleId", scheduleId, "concertId", concertId,
                    "startsAt", startsAt, "seatCount", seatCount, "seats", seats)));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    static long price(int seatNo) {
        return seatNo <= 10 ? 150_000 : 100_000 + seatNo;
    }

    int calls() {
        return endpoint.calls();
    }

    void start() {
        endpoint.start();
    }

    void stop() {
        endpoint.stop();
    }
}
