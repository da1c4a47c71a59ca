package dev.ticketing.messaging.outbox;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Whether this relay may publish now: it holds the service's {@link RelayLease}, renewed by {@link #heartbeat()}
 * every third of the lease's TTL and trusted for less than the TTL, since the renewal's own latency eats into it.
 * While the database cannot be reached the lease is kept only until it would expire.
 */
final class RelayLeadership {

    private static final Logger log = LoggerFactory.getLogger(RelayLeadership.class);

    private final RelayLease lease;
    private final Runnable onTaken;
    private final AtomicLong validUntilNanos = new AtomicLong(System.nanoTime());
    private volatile boolean leader;

    /** @param onTaken run when this relay takes the lease (the relay wakes up to publish) */
    RelayLeadership(RelayLease lease, Runnable onTaken) {
        this.lease = lease;
        this.onTaken = onTaken;
    }

    Duration heartbeatInterval() {
        return Duration.ofMillis(Math.max(100, lease.ttl().toMillis() / 3));
    }

    void heartbeat() {
        long before = System.nanoTime();
        try {
            boolean held = lease.acquireOrRenew();
            if (held) {
                validUntilNanos.set(before + lease.ttl().toNanos() * 4 / 5);
                if (!leader) {
                    log.info("Outbox relay {} now holds the lease", lease.holder());
                    onTaken.run();
                }
            } else if (leader) {
                log.warn("Outbox relay {} lost the lease", lease.holder());
            }
            leader = held;
        } catch (RuntimeException e) {
            log.warn("Outbox lease heartbeat failed: {}", e.toString());
        }
    }

    boolean isLeader() {
        return leader && System.nanoTime() - validUntilNanos.get() < 0;
    }

    /** Gives the lease back if held, so another instance takes over at once instead of after the TTL. */
    void release() {
        if (!leader) {
            return;
        }
        leader = false;
        try {
            lease.release();
        } catch (RuntimeException e) {
            log.debug("Could not release the relay lease; it expires by itself", e);
        }
    }

    String holder() {
        return lease.holder();
    }
}
