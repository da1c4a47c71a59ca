package dev.ticketing.messaging;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * Periodically forgets bookkeeping rows past their retention: processed-event ids (kept longer
 * than the topics' retention, since a record can only be redelivered while the topic holds it)
 * and idempotency records past their replay window.
 */
public class RetentionPurger implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(RetentionPurger.class);

    private final Map<String, IntSupplier> purges;
    private final Duration interval;
    private ScheduledExecutorService scheduler;

    /** @param purges what each purge forgets, and the purge (returns how many rows it removed) */
    public RetentionPurger(Map<String, IntSupplier> purges, Duration interval) {
        this.purges = Map.copyOf(purges);
        this.interval = interval;
    }

    @Override
    public synchronized void start() {
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "retention-purge");
            t.setDaemon(true);
            return t;
        });
        scheduler.scheduleWithFixedDelay(this::purge, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void purge() {
        purges.forEach((what, purge) -> {
            try {
                int n = purge.getAsInt();
                if (n > 0) {
                    log.debug("Purged {} {}", n, what);
                }
            } catch (RuntimeException e) {
                log.warn("Purge of {} failed, will retry: {}", what, e.toString());
            }
        });
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
