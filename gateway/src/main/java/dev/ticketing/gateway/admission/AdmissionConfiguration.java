package dev.ticketing.gateway.admission;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.github.resilience4j.timelimiter.TimeLimiter;
import io.github.resilience4j.timelimiter.TimeLimiterConfig;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Clock;

/** The time limiters and circuit breakers of the calls to queue-service, with their metrics. */
@Configuration(proxyBeanMethods = false)
class AdmissionConfiguration {

    static final String TOKEN_STATUS = "queue-token-status";
    static final String QUEUE_JOIN = "queue-join";

    /** The time limit of one call of joins (a batch). */
    static TimeLimiter joinTimeLimiter(AdmissionSettings settings) {
        return TimeLimiter.of(QUEUE_JOIN, TimeLimiterConfig.custom()
                .timeoutDuration(settings.joinTimeout())
                .cancelRunningFuture(true)
                .build());
    }

    @Bean
    TimeLimiter tokenStatusTimeLimiter(AdmissionSettings settings) {
        return TimeLimiter.of(TOKEN_STATUS, TimeLimiterConfig.custom()
                .timeoutDuration(settings.lookupTimeout())
                .cancelRunningFuture(true)
                .build());
    }

    /**
     * The breakers of the calls to queue-service, one per kind of call: token lookups and polls
     * ({@link #TOKEN_STATUS}), and joins ({@link #QUEUE_JOIN}), which take longer (a signature each)
     * and must not open the circuit that admitted routes depend on.
     */
    @Bean
    CircuitBreakerRegistry queueCircuitBreakers(AdmissionSettings settings, Clock clock, MeterRegistry meters) {
        AdmissionSettings.CircuitBreakerSettings breaker = settings.circuitBreaker();
        CircuitBreakerConfig config = CircuitBreakerConfig.custom()
                .failureRateThreshold(breaker.failureRateThreshold())
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(breaker.slidingWindowSize())
                .minimumNumberOfCalls(breaker.minimumNumberOfCalls())
                .waitDurationInOpenState(breaker.waitInOpenState())
                .permittedNumberOfCallsInHalfOpenState(breaker.permittedCallsInHalfOpenState())
                // The open state ends on the next request after the wait: no timer thread needed.
                .automaticTransitionFromOpenToHalfOpenEnabled(false)
                // The application clock, so tests can move past the wait instead of sleeping.
                .clock(clock)
                .build();
        CircuitBreakerRegistry registry = CircuitBreakerRegistry.of(config);
        TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(registry).bindTo(meters);
        return registry;
    }

    @Bean
    CircuitBreaker tokenStatusCircuitBreaker(CircuitBreakerRegistry queueCircuitBreakers) {
        return queueCircuitBreakers.circuitBreaker(TOKEN_STATUS);
    }
}
