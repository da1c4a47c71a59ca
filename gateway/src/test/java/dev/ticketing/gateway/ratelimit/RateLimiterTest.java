package dev.ticketing.gateway.ratelimit;

import dev.ticketing.gateway.problem.ProblemException;
import org.junit.jupiter.api.Test;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.server.ServerWebExchange;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Whose address a join is counted against: the peer, or what a trusted proxy wrote. */
class RateLimiterTest {

    private final Clock clock = Clock.fixed(Instant.parse("2026-11-23T10:00:00Z"), ZoneOffset.UTC);

    @Test
    void countsThePeerAndIgnoresForwardedForUnlessProxiesAreTrusted() {
        RateLimiter limiter = new RateLimiter(settings(0), clock);

        limiter.acquireForJoin(join("10.0.0.1", "198.51.100.1"));

        assertThatThrownBy(() -> limiter.acquireForJoin(join("10.0.0.1", "198.51.100.2")))
                .isInstanceOf(ProblemException.class);
        assertThatCode(() -> limiter.acquireForJoin(join("10.0.0.2", "198.51.100.1"))).doesNotThrowAnyException();
    }

    @Test
    void countsTheAddressTheTrustedProxySawNotWhatTheClientWrote() {
        RateLimiter limiter = new RateLimiter(settings(1), clock);

        limiter.acquireForJoin(join("10.0.0.1", "1.1.1.1, 203.0.113.5"));

        // Another spoofed left-hand entry, same address seen by the proxy: same bucket.
        assertThatThrownBy(() -> limiter.acquireForJoin(join("10.0.0.1", "2.2.2.2, 203.0.113.5")))
                .isInstanceOf(ProblemException.class);
        assertThatCode(() -> limiter.acquireForJoin(join("10.0.0.1", "1.1.1.1, 203.0.113.6"))).doesNotThrowAnyException();
    }

    @Test
    void letsEverythingThroughWhenDisabled() {
        RateLimiter limiter = new RateLimiter(new RateLimitSettings(false, 0.001, 1, 0.001, 1, 0.001, 1, 0.001, 1, 0, 10), clock);

        assertThatCode(() -> {
            for (int i = 0; i < 10; i++) {
                limiter.acquireForJoin(join("10.0.0.1", null));
                limiter.acquireForAddress(join("10.0.0.1", null));
            }
        }).doesNotThrowAnyException();
    }

    private static RateLimitSettings settings(int trustedProxyHops) {
        return new RateLimitSettings(true, 0.001, 1, 0.001, 1, 0.001, 1, 0.001, 1, trustedProxyHops, 10);
    }

    private static ServerWebExchange join(String peer, String forwardedFor) {
        MockServerHttpRequest.BaseBuilder<?> request = MockServerHttpRequest.post("/api/v1/queue/tokens")
                .remoteAddress(new InetSocketAddress(peer, 40000));
        if (forwardedFor != null) {
            request.header("X-Forwarded-For", forwardedFor);
        }
        return MockServerWebExchange.from(request);
    }
}
