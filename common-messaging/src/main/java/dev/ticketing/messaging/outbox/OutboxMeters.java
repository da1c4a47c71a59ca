package dev.ticketing.messaging.outbox;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;

/**
 * The relay's meters: events acknowledged and failed, the latency from insert to acknowledgement (a histogram, so
 * that Prometheus can add instances' buckets), the backlog and the age of its oldest row, and who leads.
 */
final class OutboxMeters {

    private final Counter published;
    private final Counter failures;
    private final Timer latency;
    private final Clock clock;
    // Held here because a Micrometer gauge keeps only a weak reference to what it reads: without these fields the
    // gauges read NaN once a collection has run.
    private final BacklogGauge backlog;
    private final BooleanSupplier leader;

    OutboxMeters(MeterRegistry meters, OutboxStore store, Clock clock, BooleanSupplier leader) {
        this.clock = clock;
        this.published = Counter.builder("outbox.published").description("Outbox events acknowledged by Kafka").register(meters);
        this.failures = Counter.builder("outbox.publish.failures").description("Outbox sends that failed and will be retried").register(meters);
        this.latency = Timer.builder("outbox.publish.latency")
                .description("From the event's outbox insert to Kafka's acknowledgement")
                // Buckets, not percentiles computed in the process: Prometheus can add buckets across instances
                // (histogram_quantile over sum by (le)), never percentiles.
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(60))
                .register(meters);
        this.backlog = new BacklogGauge(store, clock);
        this.leader = leader;
        Gauge.builder("outbox.backlog", backlog, BacklogGauge::size)
                .description("Outbox rows not yet sent").baseUnit("events").register(meters);
        Gauge.builder("outbox.oldest.unsent.age", backlog, BacklogGauge::oldestAgeSeconds)
                .description("Age of the oldest unsent outbox row").baseUnit("seconds").register(meters);
        Gauge.builder("outbox.relay.leader", leader, l -> l.getAsBoolean() ? 1 : 0)
                .description("1 while this instance holds the relay lease").register(meters);
    }

    /** A row written at {@code createdAt} was acknowledged by Kafka now. */
    void acknowledged(Instant createdAt) {
        latency.record(Duration.between(createdAt, clock.instant()));
    }

    void marked(int sent, int failed) {
        published.increment(sent);
        if (failed > 0) {
            failures.increment(failed);
        }
    }

    /** Backlog figures read at most once a second, however often they are scraped. */
    private static final class BacklogGauge {
        private final OutboxStore store;
        private final Clock clock;
        private volatile long readAtNanos = System.nanoTime() - 2_000_000_000L;
        private volatile OutboxStore.Backlog last = new OutboxStore.Backlog(0, null);

        BacklogGauge(OutboxStore store, Clock clock) {
            this.store = store;
            this.clock = clock;
        }

        double size() {
            return current().size();
        }

        double oldestAgeSeconds() {
            Instant oldest = current().oldestCreatedAt();
            return oldest == null ? 0 : Math.max(0, Duration.between(oldest, clock.instant()).toMillis() / 1000.0);
        }

        private OutboxStore.Backlog current() {
            if (System.nanoTime() - readAtNanos > 1_000_000_000L) {
                try {
                    last = store.backlog();
                } catch (RuntimeException e) {
                    // keep the last figures while the database is unreachable
                }
                readAtNanos = System.nanoTime();
            }
            return last;
        }
    }
}
