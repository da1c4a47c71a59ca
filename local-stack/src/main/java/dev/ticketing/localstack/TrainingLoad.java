package dev.ticketing.localstack;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The work of an AOT training run ({@link AotCaches}): whole purchases through the gateway, as buyers make them, so
 * that every service's routes, token checks, transactions, outbox relays and saga consumers run often enough for
 * their method profiles to be worth keeping. Each worker joins the queue as a new user, waits to be let in, reads the
 * catalogue and a seat map, charges its balance, holds a random seat, pays, reads what it bought, and sends a few
 * requests the API refuses (problem answers are a path too). Seats run out after a few hundred purchases; holds then
 * answer 409, which is trained as well. Nothing here is kept: the training runs on its own schemas and broker.
 */
final class TrainingLoad {

    private static final Logger log = LoggerFactory.getLogger(TrainingLoad.class);
    private static final Pattern TOKEN = Pattern.compile("\"token\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern STATUS = Pattern.compile("\"status\"\\s*:\\s*\"([A-Z_]+)\"");
    private static final Pattern CONCERT_ID = Pattern.compile("\"concertId\"\\s*:\\s*(\\d+)");
    private static final Pattern SCHEDULE = Pattern.compile("\"scheduleId\"\\s*:\\s*(\\d+)[^}]*?\"totalSeats\"\\s*:\\s*(\\d+)");
    private static final Pattern RESERVATION_ID = Pattern.compile("\"reservationId\"\\s*:\\s*(\\d+)");
    private static final Pattern PAYMENT_ID = Pattern.compile("\"paymentId\"\\s*:\\s*(\\d+)");

    private final String api;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final AtomicLong users = new AtomicLong(System.currentTimeMillis() % 1_000_000 * 1000);
    private final Map<String, LongAdder> answers = new ConcurrentHashMap<>();

    TrainingLoad(int gatewayPort) {
        this.api = "http://127.0.0.1:" + gatewayPort + "/api/v1";
    }

    /** Runs {@code workers} buyers until {@code duration} has passed; logs how many answers of each kind came back. */
    void run(int workers, Duration duration) throws Exception {
        long end = System.nanoTime() + duration.toNanos();
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int i = 0; i < workers; i++) {
                running.add(pool.submit(() -> {
                    while (System.nanoTime() < end) {
                        try {
                            purchase();
                        } catch (IOException | RuntimeException e) {
                            count("no answer: " + e.getClass().getSimpleName());
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : running) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        log.info("Training load: {} s, answers {}", duration.toSeconds(), new TreeMap<>(answers));
    }

    private void purchase() throws IOException {
        long user = users.incrementAndGet();
        String joined = send("POST", "/queue/tokens", null, "{\"userId\":" + user + "}", "join");
        Matcher token = TOKEN.matcher(joined);
        if (!token.find()) {
            return;
        }
        String t = token.group(1);
        for (int polls = 0; polls < 50 && !"ACTIVE".equals(first(STATUS, send("GET", "/queue/status", t, null, "poll"))); polls++) {
            pause(100);
        }
        String concerts = send("GET", "/concerts", null, null, "concerts");
        List<String> concertIds = all(CONCERT_ID, concerts);
        if (concertIds.isEmpty()) {
            return;
        }
        String concert = concertIds.get(ThreadLocalRandom.current().nextInt(concertIds.size()));
        Matcher schedule = SCHEDULE.matcher(send("GET", "/concerts/" + concert + "/schedules", t, null, "schedules"));
        if (!schedule.find()) {
            return;
        }
        String scheduleId = schedule.group(1);
        int seats = Integer.parseInt(schedule.group(2));
        for (int i = 0; i < 10; i++) {
            send("GET", "/concerts/" + concert + "/schedules/" + scheduleId + "/seats", t, null, "seat map");
            send("GET", "/queue/status", t, null, "poll");
        }
        send("POST", "/users/" + user + "/balance/charges", t, "{\"amount\":500000}", "charge");
        send("GET", "/users/" + user + "/balance", t, null, "balance");
        // Refused on purpose: invalid body, someone else's balance, an unknown reservation.
        send("POST", "/reservations", t, "{\"scheduleId\":" + scheduleId + ",\"seatNos\":[0]}", "bad hold");
        send("GET", "/users/" + (user + 1) + "/balance", t, null, "other user");
        send("GET", "/reservations/999999999", t, null, "unknown reservation");
        int seat = 1 + ThreadLocalRandom.current().nextInt(seats);
        String held = send("POST", "/reservations", t, "{\"scheduleId\":" + scheduleId + ",\"seatNos\":[" + seat + "]}", "hold");
        String reservation = first(RESERVATION_ID, held);
        if (reservation == null) {
            return;
        }
        send("GET", "/reservations/" + reservation, t, null, "reservation");
        if (ThreadLocalRandom.current().nextInt(8) == 0) {
            send("DELETE", "/reservations/" + reservation, t, null, "cancel");
            return;
        }
        String payment = first(PAYMENT_ID, send("POST", "/payments", t, "{\"reservationId\":" + reservation + "}", "pay"));
        if (payment != null) {
            send("GET", "/payments/" + payment, t, null, "payment");
        }
        send("GET", "/users/" + user + "/balance/history?page=0&size=20", t, null, "history");
        send("GET", "/users/" + user + "/payments?page=0&size=20", t, null, "payments");
        send("GET", "/reservations/" + reservation, t, null, "reservation");
    }

    private String send(String method, String path, String token, String body, String step) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(api + path)).timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (token != null) {
            request.header("Queue-Token", token);
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            count(step + " " + response.statusCode());
            return response.body();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void count(String what) {
        answers.computeIfAbsent(what, k -> new LongAdder()).increment();
    }

    private static String first(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        return m.find() ? m.group(1) : null;
    }

    private static List<String> all(Pattern pattern, String text) {
        List<String> found = new ArrayList<>();
        Matcher m = pattern.matcher(text);
        while (m.find()) {
            found.add(m.group(1));
        }
        return found;
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
