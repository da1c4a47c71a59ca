package dev.ticketing.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ticketing.e2e.PublicApi.Answer;
import dev.ticketing.e2e.PublicApi.Shopper;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import static org.awaitility.Awaitility.await;

/**
 * Buyers going through whole journeys (join, charge, hold one seat, pay) on a few threads until stopped,
 * whatever the suite answers: a failed step ends that journey and the next one starts. What the clients
 * were told is kept, so that a test can check afterwards that every payment a client saw accepted was
 * kept, whatever broke in between.
 */
final class JourneyLoad implements AutoCloseable {

    /** A payment a client was told succeeded (201). */
    record Paid(Shopper shopper, long reservationId, long paymentId) {
    }

    private final Journeys journeys;
    private final ExecutorService workers;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicInteger started = new AtomicInteger();
    private final List<Paid> paid = new CopyOnWriteArrayList<>();
    private final java.util.Queue<Journeys.Seats> unused = new java.util.concurrent.ConcurrentLinkedQueue<>();
    /** Failed steps by what the client saw: an HTTP status, or the exception's class when there was no answer. */
    private final Map<String, LongAdder> failures = new ConcurrentHashMap<>();

    private JourneyLoad(Journeys journeys, int threads) {
        this.journeys = journeys;
        this.workers = Executors.newFixedThreadPool(threads);
        for (int i = 0; i < threads; i++) {
            workers.submit(this::loop);
        }
    }

    static JourneyLoad start(Journeys journeys, int threads) {
        return new JourneyLoad(journeys, threads);
    }

    private void loop() {
        while (running.get()) {
            started.incrementAndGet();
            try {
                journey();
            } catch (RuntimeException | AssertionError failed) {
                failures.computeIfAbsent(failed.getClass().getSimpleName(), k -> new LongAdder()).increment();
                // No answer to count by status: what happened and in which step, for the test's output.
                System.out.printf("%s journey step failed without an answer: %s%n", java.time.Instant.now(), describe(failed));
                pause(); // the suite is down: do not spin
            }
        }
    }

    private void journey() {
        Shopper shopper = buyer();
        if (shopper == null) {
            return;
        }
        Journeys.Seats recycled = unused.poll();
        Journeys.Seats seat = recycled != null ? recycled : journeys.seats(1);
        // Writes carry an Idempotency-Key, as a careful client's do: if the gateway dies while one is under way,
        // the front proxy (or the client) may send it again without applying it twice.
        Answer held = keyed("/reservations", shopper.token(), seat.holdBody());
        if (held.status() != 201) {
            if (held.status() >= 500) {
                unused.add(seat); // most likely never held: try it again rather than use up the demo seats
            }
            failed(held);
            return;
        }
        long reservationId = held.body().path("reservationId").asLong();
        Answer payment = keyed("/payments", shopper.token(), "{\"reservationId\":" + reservationId + "}");
        if (payment.status() != 201) {
            failed(payment);
            return;
        }
        JsonNode body = payment.body();
        paid.add(new Paid(shopper, reservationId, body.path("paymentId").asLong()));
    }

    /**
     * A user let in with money to spend, as {@link Journeys#buyer()} makes one, but with every refusal counted by
     * its status rather than thrown: a join answered 503 (which the client retries, as it is told to) counts as one
     * 503 seen; null when the journey cannot go on.
     */
    private Shopper buyer() {
        long userId = journeys.nextUserId();
        Answer joined = journeys.api.join(userId);
        if (joined.retried()) {
            failures.computeIfAbsent("503", k -> new LongAdder()).increment();
        }
        if (joined.status() != 201 && joined.status() != 200) {
            failed(joined);
            return null;
        }
        String token = joined.body().path("token").asText();
        // A waiting client polls until it is let in; a poll that fails is simply made again.
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                .until(() -> "ACTIVE".equals(journeys.api.get("/queue/status", token).body().path("status").asText()));
        Shopper shopper = new Shopper(userId, token, PublicApi.tokenId(token));
        Answer charged = keyed("/users/" + userId + "/balance/charges", token, "{\"amount\":" + Journeys.FUNDS + "}");
        if (charged.status() != 200) {
            failed(charged);
            return null;
        }
        return shopper;
    }

    /** The exception and its causes, one line, with the suite's own frame it was thrown through. */
    static String describe(Throwable failed) {
        StringBuilder line = new StringBuilder();
        for (Throwable t = failed; t != null; t = t.getCause() == t ? null : t.getCause()) {
            line.append(line.isEmpty() ? "" : " <- ").append(t.getClass().getSimpleName()).append(": ").append(t.getMessage());
        }
        for (StackTraceElement frame : failed.getStackTrace()) {
            if (frame.getClassName().startsWith("dev.ticketing.e2e.") && !frame.getClassName().endsWith("PublicApi")) {
                line.append(" at ").append(frame);
                break;
            }
        }
        return line.toString();
    }

    /**
     * A POST with an Idempotency-Key of its own, as a careful client sends writes. Answered 409
     * IDEMPOTENCY_IN_PROGRESS (a first try of it is still running, e.g. it was sent again by the front proxy after
     * its gateway died), it is sent again with the same key after a moment, as that answer says to, up to 5 times;
     * each such answer is counted as one retryable answer seen.
     */
    private Answer keyed(String path, String token, String body) {
        String key = UUID.randomUUID().toString();
        Answer answer = journeys.api.send("POST", path, token, body, key);
        for (int retries = 0; retries < 5 && answer.status() == 409
                && IN_PROGRESS.equals(answer.body().path("code").asText()); retries++) {
            failures.computeIfAbsent("409 " + IN_PROGRESS, k -> new LongAdder()).increment();
            pause();
            answer = journeys.api.send("POST", path, token, body, key);
        }
        return answer;
    }

    static final String IN_PROGRESS = "IDEMPOTENCY_IN_PROGRESS";

    private void failed(Answer answer) {
        failures.computeIfAbsent(Integer.toString(answer.status()), k -> new LongAdder()).increment();
        pause();
    }

    private static void pause() {
        try {
            TimeUnit.MILLISECONDS.sleep(500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    int paidCount() {
        return paid.size();
    }

    List<Paid> paid() {
        return List.copyOf(paid);
    }

    int journeysStarted() {
        return started.get();
    }

    Map<String, Long> failures() {
        Map<String, Long> counts = new java.util.TreeMap<>();
        failures.forEach((k, v) -> counts.put(k, v.sum()));
        return counts;
    }

    /** The failures counted in {@code after} and not yet in {@code before}, by kind; kinds with none left out. */
    static Map<String, Long> difference(Map<String, Long> after, Map<String, Long> before) {
        Map<String, Long> added = new java.util.TreeMap<>();
        after.forEach((kind, count) -> {
            long more = count - before.getOrDefault(kind, 0L);
            if (more > 0) {
                added.put(kind, more);
            }
        });
        return added;
    }

    /** Stops starting journeys and waits for the ones under way. */
    @Override
    public void close() throws InterruptedException {
        running.set(false);
        workers.shutdown();
        if (!workers.awaitTermination(60, TimeUnit.SECONDS)) {
            workers.shutdownNow();
        }
    }

    @Override
    public String toString() {
        return started.get() + " journeys started, " + paid.size() + " paid, failed steps " + failures();
    }
}
