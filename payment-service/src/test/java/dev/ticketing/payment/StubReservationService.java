package dev.ticketing.payment;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * reservation-service's {@code /internal/reservations/{id}} as payment-service sees it over HTTP: a
 * real server on a fixed port that a test can stop and start, counting the calls it answers.
 */
final class StubReservationService {

    private static final ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private final int port;
    private final Map<Long, Map<String, Object>> reservations = new ConcurrentHashMap<>();
    private final AtomicInteger calls = new AtomicInteger();
    private HttpServer server;

    StubReservationService() {
        try (ServerSocket socket = new ServerSocket(0)) {
            this.port = socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    /** The internal view reservation-service gives, with more fields than payment-service reads. */
    void reservation(long reservationId, long userId, long amount, String status, Instant expiresAt, String queueTokenId) {
        reservations.put(reservationId, Map.of("reservationId", reservationId, "userId", userId, "concertId", 1,
                "scheduleId", 2, "seatNos", java.util.List.of(1, 2), "amount", amount, "status", status,
                "expiresAt", expiresAt, "queueTokenId", queueTokenId));
    }

    int calls() {
        return calls.get();
    }

    synchronized void start() {
        if (server != null) {
            return;
        }
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 100);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/internal/reservations/", this::answer);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.start();
    }

    synchronized void stop() {
        if (server != null) {
            server.stop(0);
            ((ExecutorService) server.getExecutor()).shutdownNow();
            server = null;
        }
    }

    private void answer(HttpExchange exchange) throws IOException {
        calls.incrementAndGet();
        String id = exchange.getRequestURI().getPath().substring("/internal/reservations/".length());
        Map<String, Object> reservation = id.matches("\\d{1,18}") ? reservations.get(Long.parseLong(id)) : null;
        int status = reservation == null ? 404 : 200;
        byte[] body = reservation == null
                ? "{\"status\":404,\"code\":\"RESERVATION_NOT_FOUND\"}".getBytes(StandardCharsets.UTF_8)
                : json.writeValueAsBytes(reservation);
        exchange.getResponseHeaders().add("Content-Type", reservation == null ? "application/problem+json" : "application/json");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
