package dev.ticketing.gateway.ratelimit;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Token-bucket limits; defaults in application.yml are set so that a real user never meets them.
 *
 * @param enabled false switches every limit off (benchmarks)
 * @param joinPerSecond Q1 refill rate per client address
 * @param perTokenPerSecond refill rate per queue token (jti) on every other route
 * @param perAddressPerSecond refill rate per client address on other routes when there is no valid token
 * @param failedTokenChecksPerSecond refill rate per client address of signature checks that failed: once an address
 *        has used them up, a token this instance has not checked before is refused 429 before its signature is
 *        checked (about 2 ms of CPU each), so a flood of forged tokens cannot burn the gateway's CPU
 * @param trustedProxyHops 0: the client is the TCP peer; n: the n-th X-Forwarded-For entry from the
 *        right, written by the n-th trusted proxy in front of the gateway. Never trust it otherwise:
 *        a client can write anything there
 * @param maxTrackedKeys bound on the buckets kept in memory per limit
 */
@ConfigurationProperties("ticketing.rate-limit")
record RateLimitSettings(boolean enabled,
                         double joinPerSecond, int joinBurst,
                         double perTokenPerSecond, int perTokenBurst,
                         double perAddressPerSecond, int perAddressBurst,
                         double failedTokenChecksPerSecond, int failedTokenChecksBurst,
                         int trustedProxyHops, int maxTrackedKeys) {

    RateLimitSettings {
        if (joinPerSecond <= 0 || perTokenPerSecond <= 0 || perAddressPerSecond <= 0 || failedTokenChecksPerSecond <= 0
                || joinBurst < 1 || perTokenBurst < 1 || perAddressBurst < 1 || failedTokenChecksBurst < 1) {
            throw new IllegalArgumentException("ticketing.rate-limit: rates must be positive and bursts at least 1");
        }
        if (trustedProxyHops < 0 || maxTrackedKeys < 1) {
            throw new IllegalArgumentException("ticketing.rate-limit: trusted-proxy-hops >= 0, max-tracked-keys >= 1");
        }
    }
}
