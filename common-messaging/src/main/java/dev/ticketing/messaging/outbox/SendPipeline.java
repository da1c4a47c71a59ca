package dev.ticketing.messaging.outbox;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The batches a relay has sent to Kafka and not yet marked: at most {@value #MAX_BATCHES_IN_FLIGHT}, so the relay
 * reads the next batch while earlier ones wait for their acknowledgements. One marker thread takes them in send
 * order, waits for each record's acknowledgement and marks the acknowledged rows sent, except a row whose key had a
 * record fail since the pipeline last emptied: it stays unsent, to be sent again after the failed one, so that no
 * record overtakes an earlier one of its key for good.
 */
final class SendPipeline {

    static final int MAX_BATCHES_IN_FLIGHT = 4;
    private static final Duration SEND_WAIT = Duration.ofSeconds(40); // above the producer's delivery timeout

    private final OutboxStore store;
    private final Clock clock;
    private final OutboxMeters meters;
    /** One permit per batch that may be sent and not yet marked; all permits free = pipeline empty. */
    private final Semaphore window = new Semaphore(MAX_BATCHES_IN_FLIGHT);
    /**
     * Keys with a record that failed since the pipeline last emptied: the marker thread's while batches are in flight,
     * cleared by the relay thread once it holds every permit.
     */
    private final Set<String> failedKeys = new HashSet<>();
    private volatile Throwable failure;
    private ExecutorService marker;

    SendPipeline(OutboxStore store, Clock clock, OutboxMeters meters) {
        this.store = store;
        this.clock = clock;
        this.meters = meters;
    }

    void start() {
        marker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "outbox-marker");
            t.setDaemon(true);
            return t;
        });
    }

    /** Stops marking: batches still in flight stay unsent and are sent again later (at least once). */
    void shutdownNow() {
        marker.shutdownNow();
    }

    /** Waits for a place in the pipeline, before reading a batch. */
    void acquire() throws InterruptedException {
        window.acquire();
    }

    /** Gives back a place taken by {@link #acquire()} for a batch that was not sent. */
    void release() {
        window.release();
    }

    /** Hands a sent batch (its rows, and the sends made of them, possibly fewer) to the marker thread. */
    void submit(List<OutboxRow> rows, List<CompletableFuture<?>> sends) {
        try {
            marker.execute(() -> {
                try {
                    mark(rows, sends);
                } finally {
                    window.release();
                }
            });
        } catch (RejectedExecutionException e) {
            window.release(); // stopping: the rows stay unsent and are sent again later
        }
    }

    /** Whether a record failed since the pipeline last emptied. */
    boolean failed() {
        return failure != null;
    }

    /**
     * Waits until every batch sent has been marked, and starts afresh: returns the failure seen since the last time
     * (null if none), and forgets it and the keys that failed.
     */
    Throwable awaitEmpty() throws InterruptedException {
        window.acquire(MAX_BATCHES_IN_FLIGHT);
        window.release(MAX_BATCHES_IN_FLIGHT);
        failedKeys.clear();
        Throwable seen = failure;
        failure = null;
        return seen;
    }

    /** Marker thread: waits for a batch's acknowledgements and marks the rows that may count as sent. */
    private void mark(List<OutboxRow> rows, List<CompletableFuture<?>> sends) {
        long deadline = System.nanoTime() + SEND_WAIT.toNanos();
        List<Long> acknowledged = new ArrayList<>(sends.size());
        Throwable firstError = null;
        for (int i = 0; i < rows.size(); i++) {
            OutboxRow row = rows.get(i);
            String key = row.topic() + '\u0000' + row.key();
            if (i >= sends.size()) {
                failedKeys.add(key); // never sent: later rows of its key must wait for it
                continue;
            }
            try {
                sends.get(i).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (!failedKeys.contains(key)) {
                    acknowledged.add(row.id());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return; // halted: the rows stay unsent
            } catch (Exception e) {
                failedKeys.add(key);
                if (firstError == null) {
                    firstError = e;
                }
            }
        }
        try {
            store.markSent(acknowledged, clock.instant());
        } catch (RuntimeException e) {
            acknowledged.clear(); // published but not marked: sent again later, at least once
            if (firstError == null) {
                firstError = e;
            }
        }
        meters.marked(acknowledged.size(), rows.size() - acknowledged.size());
        if (acknowledged.size() < rows.size()) {
            failure = firstError != null ? firstError
                    : new IllegalStateException((rows.size() - sends.size()) + " events not sent: the broker is unreachable");
        }
    }
}
