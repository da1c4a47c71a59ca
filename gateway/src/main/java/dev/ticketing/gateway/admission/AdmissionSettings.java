package dev.ticketing.gateway.admission;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;
import java.util.Objects;

/**
 * The token status lookup behind admitted routes.
 *
 * @param lookupTimeout time limit of one lookup; with the circuit breaker it keeps an admitted
 *        request's answer under the 2 s budget when queue-service hangs
 * @param cacheMaxAge how long an ACTIVE answer may be reused (also never past its activeUntil)
 * @param cacheMaxEntries bound on cached ACTIVE answers
 * @param joinTimeout time limit of one call of joins (Q1, answered from batched calls), 2 s if not set
 */
@ConfigurationProperties("ticketing.admission")
record AdmissionSettings(Duration lookupTimeout, Duration cacheMaxAge, int cacheMaxEntries,
                         CircuitBreakerSettings circuitBreaker, Duration joinTimeout) {

    AdmissionSettings {
        if (joinTimeout == null) {
            joinTimeout = Duration.ofSeconds(2);
        }
        Objects.requireNonNull(lookupTimeout, "ticketing.admission.lookup-timeout");
        Objects.requireNonNull(cacheMaxAge, "ticketing.admission.cache-max-age");
        Objects.requireNonNull(circuitBreaker, "ticketing.admission.circuit-breaker");
        if (cacheMaxAge.compareTo(Duration.ofSeconds(1)) > 0) {
            // DESIGN section 4: a token expired in queue-service is refused within 1 s.
            throw new IllegalArgumentException("ticketing.admission.cache-max-age must be at most 1s");
        }
    }

    /**
     * @param failureRateThreshold percentage of failed lookups that opens the circuit
     * @param slidingWindowSize number of recent lookups the rate is taken over
     * @param minimumNumberOfCalls lookups needed before the rate counts
     * @param waitInOpenState how long an open circuit answers 503 without trying
     * @param permittedCallsInHalfOpenState probe lookups after that wait
     */
    record CircuitBreakerSettings(float failureRateThreshold, int slidingWindowSize, int minimumNumberOfCalls,
                                  Duration waitInOpenState, int permittedCallsInHalfOpenState) {

        CircuitBreakerSettings {
            Objects.requireNonNull(waitInOpenState, "ticketing.admission.circuit-breaker.wait-in-open-state");
        }
    }
}
