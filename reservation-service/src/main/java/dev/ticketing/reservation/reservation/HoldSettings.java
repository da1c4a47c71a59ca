package dev.ticketing.reservation.reservation;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * How long holds last (DESIGN section 5).
 *
 * @param holdTtl     a payment is accepted until {@code createdAt + holdTtl} ({@code expiresAt})
 * @param expiryGrace an unpaid hold is released this long after {@code expiresAt}, so a payment
 *                    made just in time has time to arrive
 */
@ConfigurationProperties("ticketing.reservation")
public record HoldSettings(
        @DefaultValue("5m") Duration holdTtl,
        @DefaultValue("10s") Duration expiryGrace) {

    public HoldSettings {
        if (holdTtl.isNegative() || holdTtl.isZero()) {
            throw new IllegalArgumentException("ticketing.reservation.hold-ttl must be positive, was " + holdTtl);
        }
        if (expiryGrace.isNegative()) {
            throw new IllegalArgumentException("ticketing.reservation.expiry-grace must not be negative, was " + expiryGrace);
        }
    }
}
