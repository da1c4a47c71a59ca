package dev.ticketing.messaging.outbox;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * Settings of the outbox relay.
 *
 * @param enabled       whether this service runs a relay at all
 * @param pollInterval  the longest a committed event waits when no commit wakes the relay
 * @param batchSize     rows read and sent per round
 * @param leaseTtl      how long a relay holds the lease without renewing it; a dead holder is
 *                      replaced after at most this long (3 s: with 10 s, killing the holder left a
 *                      service's events unpublished for 10.5 s, InstancesEndToEndTest)
 * @param retention     how long sent rows are kept before the purge removes them
 * @param purgeInterval how often the purge runs
 * @param paused        start with publishing paused (a test switch: events wait in the table)
 */
@ConfigurationProperties("ticketing.outbox")
public record OutboxProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("50ms") Duration pollInterval,
        @DefaultValue("500") int batchSize,
        @DefaultValue("3s") Duration leaseTtl,
        @DefaultValue("24h") Duration retention,
        @DefaultValue("1m") Duration purgeInterval,
        @DefaultValue("false") boolean paused) {

    public OutboxProperties {
        if (pollInterval.isNegative() || pollInterval.isZero() || pollInterval.toMillis() > 50) {
            throw new IllegalArgumentException("ticketing.outbox.poll-interval must be in (0, 50ms], was " + pollInterval);
        }
        if (batchSize < 1 || batchSize > 5000) {
            throw new IllegalArgumentException("ticketing.outbox.batch-size must be in 1..5000, was " + batchSize);
        }
        if (leaseTtl.toMillis() < 300) {
            throw new IllegalArgumentException("ticketing.outbox.lease-ttl must be at least 300ms, was " + leaseTtl);
        }
    }

    /** Defaults, for code that wires the outbox by hand. */
    public static OutboxProperties defaults() {
        return new OutboxProperties(true, Duration.ofMillis(50), 500, Duration.ofSeconds(3),
                Duration.ofHours(24), Duration.ofMinutes(1), false);
    }

    public OutboxProperties withLeaseTtl(Duration ttl) {
        return new OutboxProperties(enabled, pollInterval, batchSize, ttl, retention, purgeInterval, paused);
    }

    public OutboxProperties withRetention(Duration value) {
        return new OutboxProperties(enabled, pollInterval, batchSize, leaseTtl, value, purgeInterval, paused);
    }
}
