package dev.ticketing.reservation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.ticketing.testsupport.InternalEndpointStub;

import org.springframework.test.context.DynamicPropertyRegistry;

import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntToLongFunction;

/**
 * concert-service's {@code /internal/schedules/{id}} as reservation-service sees it over HTTP: two instances, real
 * servers answering the same schedules, that a test can stop and start (together, or the first alone), counting
 * the calls they answer.
 */
final class StubConcertService {

    private static final ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private final InternalEndpointStub first = new InternalEndpointStub("/internal/schedules/", "SCHEDULE_NOT_FOUND");
    private final InternalEndpointStub second = new InternalEndpointStub("/internal/schedules/", "SCHEDULE_NOT_FOUND");

    /** Lists both instances as concert-service for reservation-service's load balancer. */
    void register(DynamicPropertyRegistry registry) {
        registry.add("spring.cloud.discovery.client.simple.instances.concert-service[0].uri", first::url);
        registry.add("spring.cloud.discovery.client.simple.instances.concert-service[1].uri", second::url);
    }

    /** A schedule of {@code seatCount} seats: 1-10 grade VIP at 150,000 won, the rest R at 100,000 + seatNo. */
    void schedule(long scheduleId, long concertId, Instant startsAt, int seatCount) {
        schedule(scheduleId, concertId, startsAt, seatCount, StubConcertService::price);
    }

    /** The same with each seat's price from {@code priceOf}. */
    void schedule(long scheduleId, long concertId, Instant startsAt, int seatCount, IntToLongFunction priceOf) {
        List<Map<String, Object>> seats = new ArrayList<>();
        for (int s = 1; s <= seatCount; s++) {
            seats.add(Map.of("seatNo", s, "grade", s <= 10 ? "VIP" : "R", "price", priceOf.applyAsLong(s)));
        }
        try {
            byte[] answer = json.writeValueAsBytes(Map.of("scheduleId", scheduleId, "concertId", concertId,
                    "startsAt", startsAt, "seatCount", seatCount, "seats", seats));
            first.answer(scheduleId, answer);
            second.answer(scheduleId, answer);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    static long price(int seatNo) {
        return seatNo <= 10 ? 150_000 : 100_000 + seatNo;
    }

    /** Calls both instances answered. */
    int calls() {
        return first.calls() + second.calls();
    }

    int secondInstanceCalls() {
        return second.calls();
    }

    void start() {
        first.start();
        second.start();
    }

    void stop() {
        first.stop();
        second.stop();
    }

    /** Stops the first instance alone: its port refuses connections until {@link #start()}. */
    void stopFirstInstance() {
        first.stop();
    }
}
