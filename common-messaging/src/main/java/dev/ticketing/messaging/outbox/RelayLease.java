package dev.ticketing.messaging.outbox;

import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Duration;

/**
 * A lease row that lets one relay per service publish at a time. Expiry is judged by the
 * database's clock, so instances with drifting clocks still agree; a holder that stops renewing
 * (crashed, partitioned) loses the lease after its TTL and another instance takes over.
 */
final class RelayLease {

    static final String NAME = "outbox-relay";

    private final JdbcTemplate jdbc;
    private final String holder;
    private final Duration ttl;

    RelayLease(JdbcTemplate jdbc, String holder, Duration ttl) {
        this.jdbc = jdbc;
        this.holder = holder;
        this.ttl = ttl;
    }

    /** Takes the lease if it is free or expired, or renews it if already ours. */
    boolean acquireOrRenew() {
        return jdbc.update("""
                UPDATE messaging_lease
                SET holder = ?, expires_at = TIMESTAMPADD(MICROSECOND, ?, CURRENT_TIMESTAMP(6))
                WHERE name = ? AND (holder = ? OR holder IS NULL OR expires_at < CURRENT_TIMESTAMP(6))""",
                holder, ttl.toNanos() / 1000, NAME, holder) == 1;
    }

    /** Gives the lease up at once so another instance need not wait for it to expire. */
    void release() {
        jdbc.update("UPDATE messaging_lease SET holder = NULL, expires_at = CURRENT_TIMESTAMP(6) WHERE name = ? AND holder = ?",
                NAME, holder);
    }

    String holder() {
        return holder;
    }

    Duration ttl() {
        return ttl;
    }
}
