import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Saga latency benchmark driver (a measurement, not a test), run by bench/saga.sh against a running
 * stack: starts complete journeys (join, charge, wait for admission, reserve one seat, pay) at a
 * fixed rate through the gateway, then reads from each service's schema when the saga finished for
 * each payment: the reservation CONFIRMED (its ended_at), the seats SOLD (concert-service's record
 * of applying ReservationConfirmed) and the token EXPIRED (its ended_at). Latency is the latest of
 * those minus the moment the client received the payment's 201. All clocks are this host's.
 *
 * <p>Arguments: gateway URL, JDBC base URL, journeys (or payments) per second, warm-up journeys, measured
 * journeys per round, then optionally {@code payments} or {@code journeys} (what the rate paces), the warm-up
 * rate, the number of measured rounds (1) and the rate at which a round's journeys are taken up to their hold
 * (the warm-up rate). The last round is the one reported as "saga latency"; earlier rounds get one line each.
 */
public class SagaLatency {

    /** How often a waiting client asks for its status: about as often as admission runs, not a hammering. */
    private static final long POLL_MILLIS = 500;
    private static final Pattern NUMBER = Pattern.compile("\"%s\"\\s*:\\s*(-?\\d+)");
    private static final Pattern TEXT = Pattern.compile("\"%s\"\\s*:\\s*\"([^\"]*)\"");

    record Seat(long concertId, long scheduleId, int seatNo) {
    }

    record Paid(long reservationId, String tokenId, Instant answeredAt) {
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2))
            .executor(Executors.newFixedThreadPool(8)).build();
    private final String api;
    private final Map<String, AtomicInteger> failures = new ConcurrentHashMap<>();

    SagaLatency(String gateway) {
        this.api = gateway + "/api/v1";
    }

    public static void main(String[] args) {
        try {
            run(args);
        } catch (Throwable failed) {
            failed.printStackTrace();
            System.exit(1); // the HTTP client's threads would keep the JVM up
        }
        System.exit(0);
    }

    private static void run(String[] args) throws Exception {
        String gateway = args[0];
        String jdbc = args[1];
        double rate = Double.parseDouble(args[2]);
        int warmup = Integer.parseInt(args[3]);
        int measured = Integer.parseInt(args[4]);
        boolean pacedPayments = args.length > 5 && args[5].equals("payments");
        double warmupRate = args.length > 6 ? Double.parseDouble(args[6]) : rate;
        int rounds = args.length > 7 ? Integer.parseInt(args[7]) : 1;
        double prepareRate = args.length > 8 ? Double.parseDouble(args[8]) : warmupRate;
        List<Seat> seats = prepareSeats(jdbc, warmup + rounds * measured);
        SagaLatency bench = new SagaLatency(gateway);
        long firstUser = 1_000_000L + (System.currentTimeMillis() / 1000 % 1_000_000) * 1_000;

        List<Paid> warm = bench.run(seats.subList(0, warmup), firstUser, warmupRate, bench::journey);
        System.out.printf("warm-up: %d of %d journeys paid at %.0f/s; failures %s%n", warm.size(), warmup, warmupRate, bench.failures);
        bench.failures.clear();
        // The same measurement in rounds on the same stack: the first shows a stack whose JIT compilers have
        // seen the saga's paths only in the warm-up, the last one that has run them for a while.
        for (int round = 1; round <= rounds; round++) {
            int from = warmup + (round - 1) * measured;
            List<Seat> measuredSeats = seats.subList(from, from + measured);
            long roundFirstUser = firstUser + from;
            List<Paid> paid;
            long started;
            if (pacedPayments) {
                // Every step up to the hold first, then only the payments at the rate.
                List<Prepared> ready = Collections.synchronizedList(new ArrayList<>());
                bench.run(measuredSeats, roundFirstUser, prepareRate, (user, seat) -> {
                    ready.add(bench.prepare(user, seat));
                    return null;
                });
                System.out.printf("round %d of %d: prepared %d journeys up to their hold at %.0f/s; failures %s%n",
                        round, rounds, ready.size(), prepareRate, bench.failures);
                bench.failures.clear();
                List<Prepared> queue = new ArrayList<>(ready);
                started = System.nanoTime();
                paid = bench.runEach(queue, rate, bench::pay);
            } else {
                started = System.nanoTime();
                paid = bench.run(measuredSeats, roundFirstUser, rate, bench::journey);
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            if (paid.isEmpty()) {
                System.out.printf("round %d of %d: no journey was paid (failures %s): nothing to measure%n", round, rounds, bench.failures);
                System.exit(1);
            }
            List<Double> latencies = settledLatencies(jdbc, paid);
            Collections.sort(latencies);
            String figures = String.format("p50=%.1f ms p90=%.1f ms p99=%.1f ms max=%.1f ms", percentile(latencies, 50),
                    percentile(latencies, 90), percentile(latencies, 99), latencies.get(latencies.size() - 1));
            if (round < rounds) {
                System.out.printf("round %d of %d: %d of %d paid at %.1f/s; failures %s; saga latency %s%n",
                        round, rounds, paid.size(), measured, paid.size() / seconds, bench.failures, figures);
                bench.failures.clear();
                continue;
            }
            System.out.printf("measured (%s, round %d of %d): %d of %d paid in %.1f s (%.1f payments/s); failures %s%n",
                    pacedPayments ? "payments paced, earlier steps done first" : "whole journeys paced", round, rounds,
                    paid.size(), measured, seconds, paid.size() / seconds, bench.failures);
            System.out.printf("saga latency over %d payments: %s%n", latencies.size(), figures);
            printHops(jdbc, paid);
        }
    }

    interface Step<T, R> {
        R apply(T input) throws Exception;
    }

    interface Journey {
        Paid apply(long userId, Seat seat) throws Exception;
    }

    record Prepared(String token, long reservationId) {
    }

    List<Paid> run(List<Seat> seats, long firstUser, double rate, Journey journey) throws InterruptedException {
        List<long[]> indexes = new ArrayList<>();
        for (int i = 0; i < seats.size(); i++) {
            indexes.add(new long[]{i});
        }
        return runEach(indexes, rate, i -> journey.apply(firstUser + i[0], seats.get((int) i[0])));
    }

    /** Starts {@code step} for each input at {@code rate} per second; returns the results that are not null. */
    <T> List<Paid> runEach(List<T> inputs, double rate, Step<T, Paid> step) throws InterruptedException {
        List<Paid> paid = Collections.synchronizedList(new ArrayList<>());
        ExecutorService workers = Executors.newFixedThreadPool(400);
        ScheduledExecutorService starter = Executors.newSingleThreadScheduledExecutor();
        CountDownLatch done = new CountDownLatch(inputs.size());
        AtomicInteger next = new AtomicInteger();
        long periodMicros = Math.round(1_000_000 / rate);
        starter.scheduleAtFixedRate(() -> {
            int i = next.getAndIncrement();
            if (i >= inputs.size()) {
                return;
            }
            workers.submit(() -> {
                try {
                    Paid p = step.apply(inputs.get(i));
                    if (p != null) {
                        paid.add(p);
                    }
                } catch (StepFailed counted) {
                    // counted by expect() under its step and status
                } catch (Exception e) {
                    failures.computeIfAbsent(e.getClass().getSimpleName(), k -> new AtomicInteger()).incrementAndGet();
                } finally {
                    done.countDown();
                }
            });
        }, 0, periodMicros, TimeUnit.MICROSECONDS);
        if (!done.await(10, TimeUnit.MINUTES)) {
            throw new IllegalStateException("journeys did not finish");
        }
        starter.shutdownNow();
        workers.shutdown();
        return new ArrayList<>(paid);
    }

    /** Join, charge, wait for admission, reserve one seat, pay. */
    private Paid journey(long userId, Seat seat) throws Exception {
        return pay(prepare(userId, seat));
    }

    private Prepared prepare(long userId, Seat seat) throws Exception {
        String joined = expect("join", send("POST", "/queue/tokens", null, "{\"userId\":" + userId + "}"), 201);
        String token = text(joined, "token");
        expect("charge", send("POST", "/users/" + userId + "/balance/charges", token, "{\"amount\":1000000}"), 200);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!"ACTIVE".equals(text(expect("status", send("GET", "/queue/status", token, null), 200), "status"))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("not admitted");
            }
            Thread.sleep(POLL_MILLIS);
        }
        String reservation = expect("reserve", send("POST", "/reservations", token,
                "{\"scheduleId\":" + seat.scheduleId() + ",\"seatNos\":[" + seat.seatNo() + "]}"), 201);
        return new Prepared(token, number(reservation, "reservationId"));
    }

    private Paid pay(Prepared journey) throws Exception {
        HttpResponse<String> payment = send("POST", "/payments", journey.token(), "{\"reservationId\":" + journey.reservationId() + "}");
        Instant answeredAt = Instant.now();
        expect("pay", payment, 201);
        return new Paid(journey.reservationId(), tokenId(journey.token()), answeredAt);
    }

    private HttpResponse<String> send(String method, String path, String token, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(api + path)).timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (token != null) {
            request.header("Queue-Token", token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private String expect(String step, HttpResponse<String> response, int status) {
        if (response.statusCode() != status) {
            failures.computeIfAbsent(step + ":" + response.statusCode(), k -> new AtomicInteger()).incrementAndGet();
            throw new StepFailed(step + " answered " + response.statusCode() + " " + response.body());
        }
        return response.body();
    }

    /** A step answered another status than expected; already counted in {@code failures}. */
    static final class StepFailed extends IllegalStateException {
        StepFailed(String message) {
            super(message);
        }
    }

    /**
     * Seats for the journeys: the available seats of upcoming dates, after adding benchmark dates of
     * 50 seats to concert-service's catalogue (a benchmark tool may write there; no public API
     * creates dates) until there are enough.
     */
    static List<Seat> prepareSeats(String jdbc, int wanted) throws Exception {
        try (Connection c = connect(jdbc, "concert")) {
            List<Seat> seats = availableSeats(c);
            if (seats.size() < wanted) {
                try (Statement st = c.createStatement()) {
                    st.executeUpdate("INSERT INTO concert (title, venue) VALUES ('Benchmark Night', 'Load Test Arena')",
                            Statement.RETURN_GENERATED_KEYS);
                    ResultSet keys = st.getGeneratedKeys();
                    keys.next();
                    long concertId = keys.getLong(1);
                    int dates = (wanted - seats.size()) / 50 + 1;
                    for (int d = 0; d < dates; d++) {
                        try (PreparedStatement ps = c.prepareStatement("INSERT INTO schedule (concert_id, starts_at, time_zone, seat_count) "
                                + "VALUES (?, ?, 'Asia/Seoul', 50)", Statement.RETURN_GENERATED_KEYS)) {
                            ps.setLong(1, concertId);
                            ps.setObject(2, LocalDateTime.now(ZoneOffset.UTC).plusDays(60 + d).withNano(0));
                            ps.executeUpdate();
                            ResultSet id = ps.getGeneratedKeys();
                            id.next();
                            long scheduleId = id.getLong(1);
                            StringBuilder values = new StringBuilder();
                            for (int s = 1; s <= 50; s++) {
                                values.append(s == 1 ? "" : ",").append("(").append(scheduleId).append(",").append(s)
                                        .append(",'S',50000,'AVAILABLE')");
                            }
                            st.executeUpdate("INSERT INTO seat (schedule_id, seat_no, grade, price, status) VALUES " + values);
                        }
                    }
                }
                seats = availableSeats(c);
            }
            if (seats.size() < wanted) {
                throw new IllegalStateException("only " + seats.size() + " seats available");
            }
            return seats.subList(0, wanted);
        }
    }

    private static List<Seat> availableSeats(Connection c) throws Exception {
        List<Seat> seats = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT sc.concert_id, s.schedule_id, s.seat_no FROM seat s JOIN schedule sc ON sc.schedule_id = s.schedule_id "
                        + "WHERE s.status = 'AVAILABLE' AND sc.starts_at > UTC_TIMESTAMP() ORDER BY s.schedule_id, s.seat_no")) {
            while (rs.next()) {
                seats.add(new Seat(rs.getLong(1), rs.getLong(2), rs.getInt(3)));
            }
        }
        return seats;
    }

    /** Waits (up to a minute) until every payment's saga has settled, then returns each one's latency in ms. */
    static List<Double> settledLatencies(String jdbc, List<Paid> paid) throws Exception {
        try (Connection reservation = connect(jdbc, "reservation");
             Connection concert = connect(jdbc, "concert");
             Connection queue = connect(jdbc, "queue")) {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
            while (true) {
                List<Double> latencies = new ArrayList<>();
                int unsettled = 0;
                for (Paid p : paid) {
                    Instant confirmed = instant(reservation, "SELECT ended_at FROM reservation WHERE reservation_id = ? AND status = 'CONFIRMED'",
                            p.reservationId());
                    Sent confirmedEvent = sent(reservation, "ReservationConfirmed", "aggregate_id", Long.toString(p.reservationId()));
                    Instant sold = confirmedEvent == null ? null : processedAt(concert, "concert-service", confirmedEvent.eventId());
                    Instant expired = instant(queue, "SELECT ended_at FROM queue_token WHERE token_id = ? AND status = 'EXPIRED'", p.tokenId());
                    if (confirmed == null || sold == null || expired == null) {
                        unsettled++;
                        continue;
                    }
                    Instant settled = Collections.max(List.of(confirmed, sold, expired));
                    latencies.add(Duration.between(p.answeredAt(), settled).toNanos() / 1e6);
                }
                if (unsettled == 0) {
                    return latencies;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(unsettled + " sagas never settled");
                }
                Thread.sleep(500);
            }
        }
    }

    /**
     * Where the time goes: for each step of the saga, p50 and p99 of the time from the payment's 201 until the
     * step was done, read from the schemas (an outbox row's {@code sent_at} is when the relay marked it sent,
     * after the broker acknowledged it; a consumer's is its {@code processed_event.processed_at}).
     */
    static void printHops(String jdbc, List<Paid> paid) throws Exception {
        Map<String, List<Double>> steps = new LinkedHashMap<>();
        for (String step : List.of("PaymentCompleted sent by payment-service's relay",
                "PaymentCompleted applied by queue-service (token EXPIRED)",
                "PaymentCompleted applied by reservation-service (CONFIRMED)",
                "ReservationConfirmed sent by reservation-service's relay",
                "ReservationConfirmed applied by concert-service (seats SOLD)")) {
            steps.put(step, new ArrayList<>());
        }
        try (Connection payment = connect(jdbc, "payment");
             Connection queue = connect(jdbc, "queue");
             Connection reservation = connect(jdbc, "reservation");
             Connection concert = connect(jdbc, "concert")) {
            for (Paid p : paid) {
                String key = Long.toString(p.reservationId());
                Sent completed = sent(payment, "PaymentCompleted", "message_key", key);
                Sent confirmed = sent(reservation, "ReservationConfirmed", "aggregate_id", key);
                List<Instant> at = new ArrayList<>();
                at.add(completed == null ? null : completed.at());
                at.add(completed == null ? null : processedAt(queue, "queue-service", completed.eventId()));
                at.add(completed == null ? null : processedAt(reservation, "reservation-service", completed.eventId()));
                at.add(confirmed == null ? null : confirmed.at());
                at.add(confirmed == null ? null : processedAt(concert, "concert-service", confirmed.eventId()));
                int i = 0;
                for (List<Double> times : steps.values()) {
                    Instant done = at.get(i++);
                    if (done != null) {
                        times.add(Duration.between(p.answeredAt(), done).toNanos() / 1e6);
                    }
                }
            }
        }
        System.out.println("by step, time from the payment's 201 until the step was done:");
        steps.forEach((step, times) -> {
            Collections.sort(times);
            System.out.printf("  %-62s p50=%7.1f ms p99=%7.1f ms (%d payments)%n", step,
                    times.isEmpty() ? Double.NaN : percentile(times, 50), times.isEmpty() ? Double.NaN : percentile(times, 99),
                    times.size());
        });
    }

    record Sent(String eventId, Instant at) {
    }

    /** The event id and {@code sent_at} of the outbox row of {@code type} whose {@code column} is {@code value}, or null. */
    private static Sent sent(Connection c, String type, String column, String value) throws Exception {
        try (PreparedStatement ps = c.prepareStatement("SELECT event_id, sent_at FROM outbox_event WHERE event_type = ? AND "
                + column + " = ?")) {
            ps.setString(1, type);
            ps.setString(2, value);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                LocalDateTime sentAt = rs.getObject(2, LocalDateTime.class);
                return new Sent(rs.getString(1), sentAt == null ? null : sentAt.toInstant(ZoneOffset.UTC));
            }
        }
    }

    private static Instant processedAt(Connection c, String group, String eventId) throws Exception {
        return instant(c, "SELECT processed_at FROM processed_event WHERE consumer_group = '" + group + "' AND event_id = ?", eventId);
    }

    /** A connection to one service's schema, its DATETIME columns read as UTC. */
    private static Connection connect(String jdbc, String schema) throws Exception {
        return DriverManager.getConnection(jdbc + "/" + schema
                + "?sslMode=DISABLED&connectionTimeZone=UTC&forceConnectionTimeZoneToSession=true", "root", "");
    }

    private static Instant instant(Connection c, String sql, Object key) throws Exception {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getObject(1) != null ? rs.getObject(1, LocalDateTime.class).toInstant(ZoneOffset.UTC) : null;
            }
        }
    }

    private static double percentile(List<Double> sorted, int p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }

    private static long number(String json, String field) {
        Matcher m = Pattern.compile(String.format(NUMBER.pattern(), field)).matcher(json);
        if (!m.find()) {
            throw new IllegalStateException("no " + field + " in " + json);
        }
        return Long.parseLong(m.group(1));
    }

    private static String text(String json, String field) {
        Matcher m = Pattern.compile(String.format(TEXT.pattern(), field)).matcher(json);
        if (!m.find()) {
            throw new IllegalStateException("no " + field + " in " + json);
        }
        return m.group(1);
    }

    private static String tokenId(String jwt) {
        String claims = new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), StandardCharsets.UTF_8);
        return text(claims, "jti");
    }
}
