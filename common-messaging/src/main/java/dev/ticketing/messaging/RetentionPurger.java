package dev.ticketing.messaging;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * Periodically forgets rows past their retention, each kind on its own schedule, on one thread: processed-event ids
 * (kept longer than the topics' retention, since a record can only be redelivered while the topic holds it),
 * idempotency records past their replay window, and sent outbox rows (by the relay's lease holder only).
 */
public class RetentionPurger implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(RetentionPurger.class);

    /** What a purge forgets, how often it runs, and the purge itself (returns how many rows it removed). */
    public record Purge(String what, Duration every, IntSupplier purge) {
    }

    private final List<Purge> purges;
    private ScheduledExecutorService scheduler;

    public RetentionPurger(List<Purge> purges) {
        this.purges = List.copyOf(purges);
    }

    @Override
    public synchronized void start() {
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "retention-purge");
            t.setDaemon(true);
            return t;
        });
        for (Purge purge : purges) {
            long millis = purge.every().toMillis();
            scheduler.scheduleWithFixedDelay(() -> run(purge), millis, millis, TimeUnit.MILLISECONDS);
        }
    }

    private static void run(Purge purge) {
        try {
            int n = purge.purge().getAsInt();
            if (n > 0) {
                log.debug("Purged {} {}", n, purge.what());
            }
        } catch (RuntimeException e) {
            log.warn("Purge of {} failed, will retry: {}", purge.what(), e.toString());
        }
    }

    @Override
    public synchronized void stop() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return scheduler != null;
    }
}
