package dev.ticketing.gateway.ratelimit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.ticketing.gateway.problem.ProblemException;
import org.springframework.cloud.gateway.support.ipresolver.RemoteAddressResolver;
import org.springframework.cloud.gateway.support.ipresolver.XForwardedRemoteAddressResolver;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * In-memory token buckets per client address or per token, one instance's view (no shared store:
 * the limits guard each gateway instance against floods, they are not quotas). Refuses with 429
 * {@code RATE_LIMITED} and the seconds until a permit is free.
 */
@Component
public class RateLimiter {

    private final boolean enabled;
    private final Clock clock;
    private final RemoteAddressResolver addresses;
    private final Limit join;
    private final Limit perToken;
    private final Limit perAddress;
    private final Limit failedTokenChecks;

    RateLimiter(RateLimitSettings settings, Clock clock) {
        this.enabled = settings.enabled();
        this.clock = clock;
        this.addresses = settings.trustedProxyHops() == 0
                ? new RemoteAddressResolver() { }
                : XForwardedRemoteAddressResolver.maxTrustedIndex(settings.trustedProxyHops());
        this.join = new Limit(settings.joinPerSecond(), settings.joinBurst(), settings.maxTrackedKeys(), clock);
        this.perToken = new Limit(settings.perTokenPerSecond(), settings.perTokenBurst(), settings.maxTrackedKeys(), clock);
        this.perAddress = new Limit(settings.perAddressPerSecond(), settings.perAddressBurst(), settings.maxTrackedKeys(), clock);
        this.failedTokenChecks = new Limit(settings.failedTokenChecksPerSecond(), settings.failedTokenChecksBurst(),
                settings.maxTrackedKeys(), clock);
    }

    /** Q1: per client address, since whoever joins has no token yet. */
    public void acquireForJoin(ServerWebExchange exchange) {
        if (enabled) {
            join.acquire(clientAddress(exchange), now());
        }
    }

    public void acquireForToken(UUID tokenId) {
        if (enabled) {
            perToken.acquire(tokenId.toString(), now());
        }
    }

    /** Other routes without a valid token, so that a flood of made-up tokens is limited too. */
    public void acquireForAddress(ServerWebExchange exchange) {
        if (enabled) {
            perAddress.acquire(clientAddress(exchange), now());
        }
    }

    /**
     * Before a token's signature is checked (the expensive step): 429 when the client's address has used up its
     * failed checks. Takes nothing: only a check that fails is counted ({@link #countFailedTokenCheck}), so
     * genuine users behind one address never meet this limit unless forged tokens come from there too.
     */
    public void requireTokenCheckAllowance(ServerWebExchange exchange) {
        if (enabled) {
            failedTokenChecks.require(clientAddress(exchange), now());
        }
    }

    /** A token's signature check failed: counted against the client's address. */
    public void countFailedTokenCheck(ServerWebExchange exchange) {
        if (enabled) {
            failedTokenChecks.drain(clientAddress(exchange), now());
        }
    }

    private String clientAddress(ServerWebExchange exchange) {
        InetSocketAddress address = addresses.resolve(exchange);
        if (address == null) {
            return "unknown";
        }
        return address.getAddress() != null ? address.getAddress().getHostAddress() : address.getHostString();
    }

    private long now() {
        return micros(clock.instant());
    }

    private static long micros(Instant instant) {
        return TimeUnit.SECONDS.toMicros(instant.getEpochSecond()) + instant.getNano() / 1_000;
    }

    private static final class Limit {

        private final double perSecond;
        private final int burst;
        private final Cache<String, TokenBucket> buckets;

        Limit(double perSecond, int burst, int maxKeys, Clock clock) {
            this.perSecond = perSecond;
            this.burst = burst;
            // A bucket left alone for burst/rate seconds is full again, the same as a new one:
            // forgetting it then changes nothing and keeps memory bounded.
            Duration refill = Duration.ofMillis((long) Math.ceil(burst * 1000 / perSecond));
            this.buckets = Caffeine.newBuilder()
                    .maximumSize(maxKeys)
                    .expireAfterAccess(refill.plusSeconds(1))
                    .ticker(() -> TimeUnit.MICROSECONDS.toNanos(micros(clock.instant())))
                    .build();
        }

        void acquire(String key, long nowMicros) {
            refuseIfWaiting(bucket(key, nowMicros).tryTake(nowMicros));
        }

        void require(String key, long nowMicros) {
            refuseIfWaiting(bucket(key, nowMicros).peek(nowMicros));
        }

        void drain(String key, long nowMicros) {
            bucket(key, nowMicros).drain(nowMicros);
        }

        private TokenBucket bucket(String key, long nowMicros) {
            return buckets.get(key, k -> new TokenBucket(perSecond, burst, nowMicros));
        }

        private static void refuseIfWaiting(long waitMicros) {
            if (waitMicros > 0) {
                throw ProblemException.rateLimited(Duration.ofNanos(TimeUnit.MICROSECONDS.toNanos(waitMicros)));
            }
        }
    }
}
