package dev.ticketing.payment.reservation;

import dev.ticketing.web.ProblemCode;
import dev.ticketing.messaging.web.ApiException;
import dev.ticketing.messaging.web.InternalClients;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.cloud.client.loadbalancer.LoadBalancerClient;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;

import java.util.Optional;
import java.util.function.Supplier;

/**
 * Reservations from reservation-service's {@code /internal/reservations/{id}}, asked only when a
 * payment comes before its ReservationCreated event (DESIGN section 6). The call has a timeout, one
 * retry (on the next instance) and a circuit breaker (instance {@code reservation-service}); "no such reservation" is an
 * answer, neither retried nor counted as a failure.
 */
@Component
@EnableConfigurationProperties(ReservationDirectorySettings.class)
public class ReservationDirectory {

    private static final Logger log = LoggerFactory.getLogger(ReservationDirectory.class);
    static final String BREAKER = "reservation-service";

    private final RestClient client;
    private final LoadBalancerClient loadBalancer;
    private final CircuitBreaker breaker;
    private final Retry retry;

    ReservationDirectory(ReservationDirectorySettings settings, RestClient.Builder builder, LoadBalancerClient loadBalancer,
                         CircuitBreakerRegistry breakers, RetryRegistry retries) {
        this.client = InternalClients.create(builder, loadBalancer, BREAKER, settings.connectTimeout(), settings.readTimeout());
        this.loadBalancer = loadBalancer;
        this.breaker = breakers.circuitBreaker(BREAKER);
        this.retry = retries.retry(BREAKER);
    }

    /** Before the service reports ready: the first calls do not wait for the load balancer to be made. */
    @EventListener(ApplicationReadyEvent.class)
    void warmUp() {
        InternalClients.warmUp(loadBalancer, BREAKER);
    }

    /**
     * @return the reservation, or empty if reservation-service knows none by that id
     * @throws ApiException 503 {@code SERVICE_UNAVAILABLE} when reservation-service cannot answer
     */
    public Optional<ReservationInfo> find(long reservationId) {
        Supplier<ReservationInfo> call = () -> client.get().uri("/internal/reservations/{id}", reservationId)
                .retrieve()
                .onStatus(status -> status.value() == 404, (request, response) -> {
                    throw new ReservationNotFound(reservationId);
                })
                .body(ReservationInfo.class);
        // The breaker around the retried call (each attempt to the next instance): it counts calls that failed on
        // every instance tried, so one dead instance of several does not open the circuit for all of them.
        try {
            return Optional.of(CircuitBreaker.decorateSupplier(breaker, Retry.decorateSupplier(retry, call)).get());
        } catch (ReservationNotFound notFound) {
            return Optional.empty();
        } catch (RuntimeException unavailable) {
            log.warn("Reservation {} unavailable from reservation-service: {}", reservationId, unavailable.toString());
            throw new ApiException(ProblemCode.SERVICE_UNAVAILABLE,
                    "reservations cannot be looked up right now; retry shortly");
        }
    }

    /** reservation-service knows no such reservation: an answer, not a failure. */
    public static class ReservationNotFound extends RestClientException {
        ReservationNotFound(long reservationId) {
            super("no reservation " + reservationId);
        }
    }
}
