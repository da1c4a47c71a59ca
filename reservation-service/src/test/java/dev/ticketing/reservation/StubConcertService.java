package dev.ticketing.reservation;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * concert-service's {@code /internal/schedules/{id}} as reservation-service sees it over HTTP: a
 * real server on a fixed port that a test can stop and start, counting the calls it answers.
 */
final class StubConcertService {

    private static final ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private final int port;
    private final Map<Long, Map<String, Object>> schedules = new ConcurrentHashMap<>();
    private final AtomicInteger calls = new AtomicInteger();
    private HttpServer server;

    StubConcertService(int port) {
        this.port = port;
    }

    static int freePort() {
        try (var socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    /** A schedule of {@code seatCount} seats: 1-10 grade VIP at 150,000 won, the rest R at 100,000 + seatNo. */
    void schedule(long scheduleId, long concertId, Instant startsAt, int seatCount) {
        List<Map<String, Object>> seats = new ArrayList<>();
        for (int s = 1; s <= seatCount; s++) {
            seats.add(Map.of("seatNo", s, "grade", s <= 10 ? "VIP" : "R", "price", price(s)));
        }
        schedules.put(scheduleId, Map.of("scheduleId", scheduleId, "concertId", concertId, "startsAt", startsAt,
                "seatCount", seatCount, "seats", seats));
    }

    static long price(int seatNo) {
        return seatNo <= 10 ? 150_000 : 100_000 + seatNo;
    }

    int calls() {
        return calls.get();
    }

    synchronized void start() {
        if (server != null) {
            return;
        }
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 200);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/internal/schedules/", this::answer);
        server.setExecutor(Executors.newFixedThreadPool(8));
        server.start();
    }

    synchronized void stop() {
        if (server != null) {
            server.stop(0);
            ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
            server = null;
        }
    }

    private void answer(HttpExchange exchange) throws IOException {
        calls.incrementAndGet();
        String id = exchange.getRequestURI().getPath().substring("/internal/schedules/".length());
        Map<String, Object> schedule = id.matches("\\d{1,18}") ? schedules.get(Long.parseLong(id)) : null;
        byte[] body;
        int status;
        if (schedule == null) {
            status = 404;
            body = "{\"status\":404,\"code\":\"SCHEDULE_NOT_FOUND\"}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/problem+json");
        } else {
            status = 200;
            body = json.writeValueAsBytes(schedule);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
        }
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
