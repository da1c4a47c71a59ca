package dev.ticketing.queue.admission;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * Admission settings. {@code admitPerSecond} and {@code maxActive} are only the initial values:
 * an operator changes them at run time, and the changed values live in the database.
 *
 * @param admitPerSecond   WAITING tokens let in per tick (one tick a second)
 * @param maxActive        ACTIVE tokens allowed at once
 * @param activeTtl        how long an admitted token stays ACTIVE
 * @param waitingTimeout   a WAITING token not polled for this long is dropped
 * @param lastSeenInterval last-seen is written at most this often per token
 * @param tick             how often the jobs run
 */
@ConfigurationProperties("ticketing.queue")
public record QueueSettings(
        @DefaultValue("100") int admitPerSecond,
        @DefaultValue("1000") int maxActive,
        @DefaultValue("10m") Duration activeTtl,
        @DefaultValue("5m") Duration waitingTimeout,
        @DefaultValue("30s") Duration lastSeenInterval,
        @DefaultValue("1s") Duration tick) {

    public QueueSettings {
        if (admitPerSecond < 0 || maxActive < 0) {
            throw new IllegalArgumentException("ticketing.queue.admit-per-second and max-active must not be negative");
        }
    }
}
