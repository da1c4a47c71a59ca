package dev.ticketing.messaging.outbox;

import dev.ticketing.events.EventHeaders;
import dev.ticketing.messaging.ProcessName;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.core.KafkaTemplate;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Publishes committed outbox rows to Kafka, at least once and in commit order per key.
 * <p>
 * One relay per service publishes at a time: the holder of the database lease. Batches of unsent
 * rows are read in id order and sent asynchronously (idempotent producer, {@code acks=all}, so a
 * partition keeps send order across retries). Sending is pipelined ({@link SendPipeline}): while up to
 * {@value SendPipeline#MAX_BATCHES_IN_FLIGHT} batches wait for Kafka, the relay thread reads the next one
 * after the highest id it has sent, and a marker thread marks each batch's acknowledged rows
 * sent, batches in order. If a record fails, later rows with the same key stay unsent too (in
 * its batch and in those sent after it), so they are sent again after it and never overtake it
 * for good; the relay then lets the pipeline empty and starts reading from the first unsent row.
 * <p>
 * Reading after a cursor skips a row whose transaction took its id early but had not committed when a
 * higher id was read. Such a row must still go out before any later row of its key, since it committed
 * first. So the relay remembers which ids it has not seen since it last read from the first unsent row
 * (those below that row, and the gaps between the ids it read), and after each read past the cursor,
 * before sending it, checks whether one of them has become an unsent row: if so, that batch is not sent,
 * and once the pipeline is empty the relay reads from the first unsent row again, where the skipped row
 * comes before the later ones. A row that commits after the read of a later row of its key committed
 * after it, so sending it later keeps commit order. The relay also reads from the first unsent row
 * whenever it catches up, and at least every {@link #RESCAN_INTERVAL} while it does not. It wakes after
 * every commit that recorded events and polls the table at least every {@code pollInterval}.
 */
public class OutboxRelay implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);
    private static final Duration MAX_FAILURE_BACKOFF = Duration.ofSeconds(5);
    private static final int PURGE_CHUNK = 10_000;
    static final Duration RESCAN_INTERVAL = Duration.ofSeconds(1);
    /** At most this many unseen ids are remembered; beyond, the relay reads from the first unsent row again. */
    static final int MAX_UNSEEN = 1000;

    private final OutboxStore store;
    private final RelayLeadership leadership;
    private final SendPipeline pipeline;
    private final OutboxMeters meters;
    private final KafkaTemplate<String, String> kafka;
    private final OutboxProperties props;
    private final Clock clock;
    private final BlockingQueue<Boolean> wakeUps = new ArrayBlockingQueue<>(1);

    private volatile boolean running;
    private volatile boolean paused;
    private Thread worker;
    private ScheduledExecutorService heartbeats;
    private int consecutiveFailures;
    /** Relay thread only: the highest id sent since reading last started from the first unsent row. */
    private long cursor;
    /** Relay thread only: the first id read since reading last started from the first unsent row (0: none yet). */
    private long firstRead;
    /**
     * Relay thread only: ids between {@link #firstRead} and {@link #cursor} that no read returned: rows sent
     * earlier, ids of rolled-back transactions, or rows not yet committed, which must go out before later ones.
     */
    private final Set<Long> unseen = new HashSet<>();
    private long lastRescanNanos = System.nanoTime();
    /** Relay thread only: set when the next read must start from the first unsent row. */
    private boolean restartReading;
    private volatile Duration rescanInterval = RESCAN_INTERVAL;

    public OutboxRelay(JdbcTemplate jdbc, KafkaTemplate<String, String> kafka, OutboxProperties props,
                       Clock clock, MeterRegistry meters) {
        this.store = new OutboxStore(jdbc);
        this.leadership = new RelayLeadership(new RelayLease(jdbc, holderId(), props.leaseTtl()), this::wake);
        this.meters = new OutboxMeters(meters, store, clock, this::isLeader);
        this.pipeline = new SendPipeline(store, clock, this.meters);
        this.kafka = kafka;
        this.props = props;
        this.clock = clock;
        this.paused = props.paused();
    }

    /** How often a relay that never catches up reads from the first unsent row again (tests: longer). */
    void rescanEvery(Duration interval) {
        this.rescanInterval = interval;
    }

    /** Wakes the relay now (called after a transaction that recorded events commits). */
    public void wake() {
        wakeUps.offer(Boolean.TRUE);
    }

    /** Stops publishing; events wait in the table. A test switch, never used in production paths. */
    public void pause() {
        paused = true;
        log.warn("Outbox relay paused: events wait in the outbox table");
    }

    public void resume() {
        paused = false;
        log.info("Outbox relay resumed");
        wake();
    }

    public boolean isPaused() {
        return paused;
    }

    /** Whether this instance holds the lease now. */
    public boolean isLeader() {
        return leadership.isLeader();
    }

    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        heartbeats = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "outbox-lease");
            t.setDaemon(true);
            return t;
        });
        heartbeats.scheduleWithFixedDelay(leadership::heartbeat, 0, leadership.heartbeatInterval().toMillis(), TimeUnit.MILLISECONDS);
        pipeline.start();
        worker = new Thread(this::run, "outbox-relay");
        worker.setDaemon(true);
        worker.start();
        log.info("Outbox relay started as {} (lease TTL {}, poll {})", leadership.holder(), props.leaseTtl(), props.pollInterval());
    }

    @Override
    public void stop() {
        Thread w;
        synchronized (this) {
            if (!running) {
                return;
            }
            running = false;
            w = worker;
            heartbeats.shutdownNow();
        }
        wake();
        try {
            w.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        pipeline.shutdownNow();
        leadership.release();
        log.info("Outbox relay stopped");
    }

    /**
     * Stops without releasing the lease or finishing anything, as if the process died: for tests
     * of takeover.
     */
    public void halt() {
        running = false;
        heartbeats.shutdownNow();
        pipeline.shutdownNow();
        worker.interrupt();
        wake();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        // Start after the listener containers and web server, stop before them and the pool.
        return Integer.MAX_VALUE - 100;
    }

    private void run() {
        try {
            while (running) {
                try {
                    if (paused || !isLeader()) {
                        awaitPipelineEmpty();
                        awaitWake(props.pollInterval());
                        continue;
                    }
                    restartReading = false;
                    int read = sendNextBatch();
                    boolean caughtUp = read < props.batchSize() && !restartReading;
                    boolean rescanDue = System.nanoTime() - lastRescanNanos > rescanInterval.toNanos();
                    if (caughtUp || rescanDue || restartReading || pipeline.failed()) {
                        // the next read starts from the first unsent row again
                        if (!awaitPipelineEmpty()) {
                            backOff();
                        } else {
                            consecutiveFailures = 0;
                            if (caughtUp) {
                                awaitWake(props.pollInterval());
                            }
                        }
                    }
                } catch (RuntimeException e) {
                    log.warn("Outbox relay round failed, will retry: {}", e.toString());
                    awaitPipelineEmpty();
                    backOff();
                }
            }
            awaitPipelineEmpty(); // stopping: let the batches in flight be marked
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Waits until every batch sent has been marked; the next read starts from the first unsent row, and a failure
     * seen is logged and forgotten. Returns false if a record failed since the last time.
     */
    private boolean awaitPipelineEmpty() throws InterruptedException {
        Throwable failure = pipeline.awaitEmpty();
        cursor = 0;
        firstRead = 0;
        unseen.clear();
        lastRescanNanos = System.nanoTime();
        if (failure == null) {
            return true;
        }
        log.warn("Outbox relay: some events were not acknowledged, will resend: {}", failure.toString());
        return false;
    }

    /**
     * Whether a row that no read since the last start from the first unsent row returned (below the first id
     * read, or in a gap) is now an unsent row: it committed after the reads went past it.
     */
    private boolean skippedRowCommitted() {
        return store.anyUnsentBelowOrAmong(firstRead, unseen);
    }

    /** Notes the ids this read of rows (in id order) went past without returning. */
    private void rememberUnseen(List<OutboxRow> rows) {
        long previous = cursor > 0 ? cursor : rows.get(0).id() - 1;
        if (firstRead == 0) {
            firstRead = rows.get(0).id();
        }
        for (OutboxRow row : rows) {
            for (long id = previous + 1; id < row.id() && unseen.size() <= MAX_UNSEEN; id++) {
                unseen.add(id);
            }
            previous = row.id();
        }
        if (unseen.size() > MAX_UNSEEN) {
            restartReading = true; // too many to check each time: read from the first unsent row instead
        }
    }

    /**
     * Reads the next batch after the cursor, sends it and hands it to the pipeline, waiting first for a
     * free place in it. Returns how many rows were read.
     */
    private int sendNextBatch() throws InterruptedException {
        pipeline.acquire();
        List<OutboxRow> rows;
        try {
            rows = store.fetchUnsentAfter(cursor, props.batchSize());
        } catch (RuntimeException e) {
            pipeline.release();
            throw e;
        }
        if (rows.isEmpty()) {
            pipeline.release();
            return 0;
        }
        if (cursor > 0 && skippedRowCommitted()) {
            // Not sent: a row it skipped is there now, and goes first once reading starts over.
            pipeline.release();
            restartReading = true;
            return rows.size();
        }
        rememberUnseen(rows);
        List<CompletableFuture<?>> sends = new ArrayList<>(rows.size());
        for (OutboxRow row : rows) {
            CompletableFuture<?> send;
            try {
                send = kafka.send(record(row));
            } catch (RuntimeException e) {
                send = CompletableFuture.failedFuture(e);
            }
            Instant createdAt = row.createdAt();
            send.whenComplete((ok, error) -> {
                if (error == null) {
                    meters.acknowledged(createdAt);
                }
            });
            sends.add(send);
            if (send.isCompletedExceptionally()) {
                break; // the broker is unreachable: do not block once more per remaining row
            }
        }
        cursor = rows.get(rows.size() - 1).id();
        pipeline.submit(rows, sends);
        return rows.size();
    }

    private ProducerRecord<String, String> record(OutboxRow row) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(EventHeaders.EVENT_ID, bytes(row.eventId()));
        headers.add(EventHeaders.EVENT_TYPE, bytes(row.eventType()));
        headers.add(EventHeaders.SCHEMA_VERSION, bytes(Integer.toString(row.schemaVersion())));
        if (row.traceparent() != null) {
            headers.add(EventHeaders.TRACEPARENT, bytes(row.traceparent()));
        }
        return new ProducerRecord<>(row.topic(), null, row.key(), row.envelope(), headers);
    }

    /** Removes sent rows older than the retention; unsent rows are never touched. */
    int purge() {
        Instant cutoff = clock.instant().minus(props.retention());
        int total = 0;
        int n;
        do {
            n = store.purgeSentBefore(cutoff, PURGE_CHUNK);
            total += n;
        } while (n == PURGE_CHUNK && running);
        return total;
    }

    /**
     * The purge, on the lease holder only (one instance purges, while it publishes); returns how many rows it
     * removed. Scheduled by the service's {@code RetentionPurger} every {@code ticketing.outbox.purge-interval}.
     */
    public int purgeIfLeader() {
        return isLeader() ? purge() : 0;
    }

    private void awaitWake(Duration timeout) throws InterruptedException {
        wakeUps.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void backOff() throws InterruptedException {
        consecutiveFailures = Math.min(consecutiveFailures + 1, 16);
        long millis = Math.min(MAX_FAILURE_BACKOFF.toMillis(), 100L << Math.min(consecutiveFailures, 6));
        Thread.sleep(millis);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String holderId() {
        return ProcessName.hostAndPid() + "/" + UUID.randomUUID().toString().substring(0, 8);
    }
}
