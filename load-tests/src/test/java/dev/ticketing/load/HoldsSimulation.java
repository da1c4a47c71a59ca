package dev.ticketing.load;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.regex;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

/**
 * R1 hold attempts: every admitted client (one virtual user and one keep-alive connection each)
 * asks again and again, for as long as the run lasts, for one seat or a pair, at random, of the 50
 * seats of one schedule. Holds are short in the benchmark stack, so seats keep cycling.
 * <p>
 * Settings from the environment: {@code HOLDS_TOKENS} a file of lines {@code userId token} (the
 * signed queue token; with {@code HOLDS_DIRECT=1} the token id instead, sent in the identity
 * headers the gateway would set), {@code HOLDS_SCHEDULE}, {@code HOLDS_SECONDS} ({@code 20} or {@code 20s}),
 * {@code LOAD_BASE_URL}, {@code HOLDS_MEASURE_AFTER} ({@code 0}). Outcomes by error code are printed
 * after the run as {@code outcomes created=.. seat_unavailable=.. reservation_limit=.. other=..}:
 * those answered after the first {@code HOLDS_MEASURE_AFTER} and before the end of
 * {@code HOLDS_SECONDS}, so that a rate taken from them leaves out the ramp (Gatling's own JVM
 * compiling, 1,000 connections being opened) and the answers still coming in after the end.
 * <p>
 * With {@code HOLDS_RATE} (attempts per second) the load is an open one instead: attempts arrive at that fixed
 * rate whatever the answers' latency, each from the next client in turn, over connections shared by all, so
 * that the latency percentiles are what a buyer waits at that rate (a closed loop of 1,000 clients measures
 * mostly its own queue: Little's law).
 */
public class HoldsSimulation extends Simulation {

    private static final boolean DIRECT = "1".equals(System.getenv("HOLDS_DIRECT"));
    private static final String BASE_URL = Settings.get("LOAD_BASE_URL", "http://127.0.0.1:8080");
    private static final long SCHEDULE = Long.parseLong(Settings.get("HOLDS_SCHEDULE", "1"));
    private static final Duration RUN = Settings.seconds("HOLDS_SECONDS", 20);
    private static final Duration MEASURE_AFTER = Settings.seconds("HOLDS_MEASURE_AFTER", 0);
    private static final double RATE = Double.parseDouble(Settings.get("HOLDS_RATE", "0"));
    /** When the simulation started ({@link #before()}), in {@link System#nanoTime()}. */
    private static volatile long started;

    private static final AtomicLong CREATED = new AtomicLong();
    private static final AtomicLong SEAT_UNAVAILABLE = new AtomicLong();
    private static final AtomicLong RESERVATION_LIMIT = new AtomicLong();
    private static final AtomicLong OTHER = new AtomicLong();

    private final List<Map<String, Object>> clients = clients(Path.of(Settings.get("HOLDS_TOKENS", "target/bench/holds-tokens.txt")));

    {
        Iterator<Map<String, Object>> feeder = clients.iterator(); // one client per virtual user
        HttpProtocolBuilder protocol = http.baseUrl(BASE_URL)
                .contentTypeHeader("application/json")
                .acceptHeader("application/json, application/problem+json");

        ChainBuilder attempt = exec(session -> session.set("seats", randomSeats()))
                .exec(http("R1 hold")
                        .post("/api/v1/reservations")
                        .headers(DIRECT
                                ? Map.of("X-User-Id", "#{userId}", "X-Queue-Token-Id", "#{credential}")
                                : Map.of("Queue-Token", "#{credential}"))
                        .body(StringBody("{\"scheduleId\": " + SCHEDULE + ", \"seatNos\": #{seats}}"))
                        .check(status().in(201, 409).saveAs("status"),
                                regex("\"code\"\\s*:\\s*\"([A-Z_]+)\"").optional().saveAs("code")))
                .exec(session -> {
                    count(session.contains("status") ? session.getInt("status") : 0,
                            session.contains("code") ? session.getString("code") : null);
                    return session.remove("code").remove("status");
                });
        if (RATE > 0) {
            AtomicLong next = new AtomicLong();
            Iterator<Map<String, Object>> inTurn = Stream.generate(() -> clients.get((int) (next.getAndIncrement() % clients.size()))).iterator();
            setUp(scenario("R1 hold arrivals").feed(inTurn).exec(attempt).injectOpen(constantUsersPerSec(RATE).during(RUN)))
                    .protocols(protocol.shareConnections());
        } else {
            ScenarioBuilder attempts = scenario("R1 hold attempts").feed(feeder).during(RUN).on(attempt);
            setUp(attempts.injectOpen(atOnceUsers(clients.size()))).protocols(protocol);
        }
    }

    @Override
    public void before() {
        started = System.nanoTime();
    }

    @Override
    public void after() {
        System.out.printf("outcomes created=%d seat_unavailable=%d reservation_limit=%d other=%d%n",
                CREATED.get(), SEAT_UNAVAILABLE.get(), RESERVATION_LIMIT.get(), OTHER.get());
    }

    private static void count(int status, String code) {
        Duration since = Duration.ofNanos(System.nanoTime() - started);
        if (since.compareTo(MEASURE_AFTER) < 0 || since.compareTo(RUN) >= 0) {
            return;
        }
        if (status == 201) {
            CREATED.incrementAndGet();
        } else if (status == 409 && "SEAT_UNAVAILABLE".equals(code)) {
            SEAT_UNAVAILABLE.incrementAndGet();
        } else if (status == 409 && "RESERVATION_LIMIT".equals(code)) {
            RESERVATION_LIMIT.incrementAndGet();
        } else {
            OTHER.incrementAndGet();
        }
    }

    /** One seat or a pair of distinct seats out of 50, as a JSON array. */
    private static String randomSeats() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int a = random.nextInt(1, 51);
        if (random.nextBoolean()) {
            return "[" + a + "]";
        }
        int b = a;
        while (b == a) {
            b = random.nextInt(1, 51);
        }
        return "[" + a + "," + b + "]";
    }

    private static List<Map<String, Object>> clients(Path file) {
        try {
            List<Map<String, Object>> clients = new ArrayList<>();
            for (String line : Files.readAllLines(file)) {
                String[] parts = line.trim().split("\\s+");
                if (parts.length == 2) {
                    clients.add(Map.of("userId", parts[0], "credential", parts[1]));
                }
            }
            if (clients.isEmpty()) {
                throw new IllegalStateException("no client in " + file);
            }
            return clients;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
