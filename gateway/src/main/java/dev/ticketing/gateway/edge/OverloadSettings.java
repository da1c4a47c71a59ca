package dev.ticketing.gateway.edge;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How much work one gateway instance takes on at once.
 *
 * @param maxInFlight requests in progress at once on the public port (from arrival to the last byte of the
 *        answer, whatever they wait for: a token lookup, a connection to a service, its answer); one more is
 *        answered 503 with {@code Retry-After} at once. Bounds the heap those requests hold and the time the
 *        ones taken wait, whatever the arrival rate
 */
@ConfigurationProperties("ticketing.overload")
record OverloadSettings(int maxInFlight) {

    OverloadSettings {
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("ticketing.overload.max-in-flight must be at least 1");
        }
    }
}
