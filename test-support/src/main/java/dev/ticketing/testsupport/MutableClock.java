package dev.ticketing.testsupport;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock tests move by hand, so time-based rules are tested without sleeping. */
public final class MutableClock extends Clock {

    private volatile Instant now;

    public MutableClock(Instant start) {
        this.now = start;
    }

    /** Starts at the current time, whole seconds. */
    public static MutableClock startingNow() {
        return new MutableClock(Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
    }

    public void set(Instant instant) {
        now = instant;
    }

    public Instant advance(Duration by) {
        now = now.plus(by);
        return now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        return now;
    }

    /**
     * Makes a MutableClock, starting now, the application's Clock: {@code @Import} it into a Spring
     * Boot test and {@code @Autowired} the MutableClock to move time.
     */
    @TestConfiguration(proxyBeanMethods = false)
    public static class InContext {
        @Bean
        @Primary
        MutableClock testClock() {
            return startingNow();
        }
    }
}
