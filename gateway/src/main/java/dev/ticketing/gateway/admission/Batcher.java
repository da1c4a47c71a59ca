package dev.ticketing.gateway.admission;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.reactor.circuitbreaker.operator.CircuitBreakerOperator;
import io.github.resilience4j.reactor.timelimiter.TimeLimiterOperator;
import io.github.resilience4j.timelimiter.TimeLimiter;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Gathers the questions about tokens that arrive close together into one call to queue-service:
 * those that arrive within a couple of milliseconds of each other, and all that arrive while earlier
 * calls are out. When a sell-out opens, thousands of clients each ask about their token every few
 * seconds, and one call per client would cost queue-service (and the gateway, a proxied exchange
 * each) more than the answers themselves. Questions about the same key before its batch leaves share
 * one answer; once the batch is sent, a new question waits for the next one, so no answer is older
 * than the request that uses it.
 * <p>
 * Each call (one batch) goes through a time limit and a circuit breaker, and each question has a
 * time limit of its own, so that with queue-service down a request fails fast (503) instead of
 * piling up, and probes find it again when it returns. No retry: the budget is short, and the
 * client gets Retry-After.
 *
 * @param <K> what a question is about (a token id)
 * @param <V> the answer to one question
 */
final class Batcher<K, V> {

    private static final Duration BATCH_WINDOW = Duration.ofMillis(2);
    /**
     * Few calls out at once: while they are, new questions pile up into the next batch, so batches
     * grow with load (one key when quiet, hundreds in a burst) and queue-service sees tens of calls
     * a second however many clients there are.
     */
    static final int BATCHES_IN_FLIGHT = 2;
    /** Where requests go on once their answer is in. */
    private static final Scheduler ANSWERS = Schedulers.newParallel("token-answers",
            Runtime.getRuntime().availableProcessors(), true);

    private final int maxBatch;
    private final Function<Set<K>, Mono<Map<K, V>>> call;
    private final Function<K, V> notFound;
    private final TimeLimiter timeLimiter;
    private final CircuitBreaker circuitBreaker;
    private final Duration requestTimeLimit;
    /** Each key waiting for a batch, with the answer its requests wait for. */
    private final Map<K, Sinks.One<V>> waiting = new ConcurrentHashMap<>();
    /** Guards {@link #unsent}, {@link #inFlight} and {@link #flushDue}. */
    private final Object batches = new Object();
    private final List<K> unsent = new ArrayList<>();
    private int inFlight;
    private boolean flushDue;

    /**
     * @param call     one call to queue-service for a batch of keys; keys it does not answer get
     *                 {@code notFound}'s answer
     */
    Batcher(int maxBatch, Function<Set<K>, Mono<Map<K, V>>> call, Function<K, V> notFound,
            TimeLimiter timeLimiter, CircuitBreaker circuitBreaker, Duration requestTimeLimit) {
        this.maxBatch = maxBatch;
        this.call = call;
        this.notFound = notFound;
        this.timeLimiter = timeLimiter;
        this.circuitBreaker = circuitBreaker;
        this.requestTimeLimit = requestTimeLimit;
    }

    /** The answer about {@code key}; an error when its call failed, timed out or the circuit is open. */
    Mono<V> ask(K key) {
        return Mono.defer(() -> join(key))
                // Each request's own bound, whatever its batch does (DESIGN: 503 within 2 s). Not
                // counted by the circuit breaker, which counts calls to queue-service, not requests.
                .timeout(requestTimeLimit)
                // A batch's answers are handed out one after another on the thread that read the
                // reply. Without this hop each request would go on through the whole filter chain
                // before the next answer is even handed out, and under load the last answers of a
                // large batch would miss their time limit while waiting for the first ones' work.
                // Not Schedulers.parallel(): its threads run the time limits, which must not wait
                // behind this work.
                .publishOn(ANSWERS);
    }

    private Mono<V> join(K key) {
        boolean[] first = {false};
        Sinks.One<V> answer = waiting.computeIfAbsent(key, k -> {
            first[0] = true;
            return Sinks.one();
        });
        if (first[0]) {
            synchronized (batches) {
                unsent.add(key);
                if (!flushDue && inFlight < BATCHES_IN_FLIGHT) {
                    // Wait a moment for company; if calls are out, their completion sends this.
                    flushDue = true;
                    Schedulers.parallel().schedule(this::flush, BATCH_WINDOW.toMillis(), TimeUnit.MILLISECONDS);
                }
            }
        }
        return answer.asMono();
    }

    /** Sends what is waiting, as far as the calls allowed out at once permit. */
    private void flush() {
        List<List<K>> toSend = new ArrayList<>();
        synchronized (batches) {
            flushDue = false;
            while (!unsent.isEmpty() && inFlight < BATCHES_IN_FLIGHT) {
                List<K> next = unsent.subList(0, Math.min(maxBatch, unsent.size()));
                toSend.add(List.copyOf(next));
                next.clear();
                inFlight++;
            }
        }
        toSend.forEach(batch -> send(batch).doFinally(signal -> {
            synchronized (batches) {
                inFlight--;
            }
            flush();
        }).subscribe());
    }

    private Mono<Void> send(List<K> keys) {
        // Taken off the waiting list as the batch leaves: later requests join the next batch. In the order
        // they arrived: for joins, queue-service gives sequences in the order the call lists them.
        Map<K, Sinks.One<V>> answers = new LinkedHashMap<>();
        for (K key : keys) {
            Sinks.One<V> answer = waiting.remove(key);
            if (answer != null) {
                answers.put(key, answer);
            }
        }
        // The time limit and the circuit breaker count calls to queue-service, one per batch. Counting
        // each request instead made one slow reply of 500 ids 500 failures, which opened the
        // circuit for everyone, although the next call would have been answered.
        return call.apply(answers.keySet())
                .transformDeferred(TimeLimiterOperator.of(timeLimiter))
                .transformDeferred(CircuitBreakerOperator.of(circuitBreaker))
                .doOnNext(found -> answers.forEach((key, answer) -> {
                    V value = found.get(key);
                    answer.tryEmitValue(value != null ? value : notFound.apply(key));
                }))
                .doOnError(error -> answers.values().forEach(answer -> answer.tryEmitError(error)))
                .onErrorResume(error -> Mono.empty())
                .then();
    }
}
