package dev.ticketing.messaging.consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Forgets processed-event ids once they are older than the retention, which must exceed the
 * topics' retention: a record can only be redelivered while the topic still holds it.
 */
public class ProcessedEventsPurger implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ProcessedEventsPurger.class);

    private final IdempotentConsumer consumer;
    private final Duration retention;
    private final Duration interval;
    private ScheduledExecutorService scheduler;

    public ProcessedEventsPurger(IdempotentConsumer consumer, Duration retention, Duration interval) {
        this.consumer = consumer;
        this.retention = retention;
        this.interval = interval;
    }

    @Override
    public synchronized void start() {
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "processed-event-purge");
            t.setDaemon(true);
            return t;
        });
        scheduler.scheduleWithFixedDelay(this::purge, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void purge() {
        try {
            int n = consumer.purgeOlderThan(retention);
            if (n > 0) {
                log.debug("Forgot {} processed-event ids older than {}", n, retention);
            }
        } catch (RuntimeException e) {
            log.warn("Processed-event purge failed, will retry: {}", e.toString());
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
