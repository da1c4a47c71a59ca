package dev.ticketing.reservation.schedule;

import dev.ticketing.web.ProblemCode;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
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

import java.util.function.Supplier;

/**
 * Schedules from concert-service's {@code /internal/schedules/{id}}, cached: seat counts and prices
 * rarely change, and a sell-out asks for the same few schedules thousands of times a second. The
 * call has a timeout, one retry (on the next instance) and a circuit breaker (instance {@code concert-service}); a cached
 * schedule is still served while concert-service is down, an uncached one is 503.
 */
@Component
@EnableConfigurationProperties(CatalogueSettings.class)
public class ScheduleCatalogue {

    private static final Logger log = LoggerFactory.getLogger(ScheduleCatalogue.class);
    static final String BREAKER = "concert-service";

    private final RestClient client;
    private final LoadBalancerClient loadBalancer;
    private final CircuitBreaker breaker;
    private final Retry retry;
    private final LoadingCache<Long, ScheduleInfo> cache;

    ScheduleCatalogue(CatalogueSettings settings, RestClient.Builder builder, LoadBalancerClient loadBalancer,
                      CircuitBreakerRegistry breakers, RetryRegistry retries) {
        this.client = InternalClients.create(builder, loadBalancer, BREAKER, settings.connectTimeout(), settings.readTimeout());
        this.loadBalancer = loadBalancer;
        this.breaker = breakers.circuitBreaker(BREAKER);
        this.retry = retries.retry(BREAKER);
        this.cache = Caffeine.newBuilder()
                .maximumSize(10_000)
                .refreshAfterWrite(settings.refreshAfter())
                .expireAfterWrite(settings.expireAfter())
                .build(this::fetch);
    }

    /** Before the service reports ready: the first calls do not wait for the load balancer to be made. */
    @EventListener(ApplicationReadyEvent.class)
    void warmUp() {
        InternalClients.warmUp(loadBalancer, BREAKER);
    }

    /**
     * @throws ApiException 404 {@code SCHEDULE_NOT_FOUND}, or 503 {@code SERVICE_UNAVAILABLE} when
     *                      concert-service cannot answer and the schedule is not cached
     */
    public ScheduleInfo find(long scheduleId) {
        try {
            return cache.get(scheduleId);
        } catch (ScheduleNotFound notFound) {
            throw new ApiException(ProblemCode.SCHEDULE_NOT_FOUND, "no schedule " + scheduleId);
        } catch (RuntimeException unavailable) {
            log.warn("Schedule {} unavailable from concert-service: {}", scheduleId, unavailable.toString());
            throw new ApiException(ProblemCode.SERVICE_UNAVAILABLE,
                    "the concert catalogue is unavailable; retry shortly");
        }
    }

    /**
     * One call: up to two attempts, each to the next instance, inside the circuit breaker, so that the breaker
     * counts a call that failed on every instance it tried, not each attempt: one dead instance of several must
     * not open the circuit for all of them.
     */
    private ScheduleInfo fetch(Long scheduleId) {
        Supplier<ScheduleInfo> call = () -> client.get().uri("/internal/schedules/{id}", scheduleId)
                .retrieve()
                .onStatus(status -> status.value() == 404, (request, response) -> {
                    throw new ScheduleNotFound(scheduleId);
                })
                .body(ScheduleInfo.class);
        return CircuitBreaker.decorateSupplier(breaker, Retry.decorateSupplier(retry, call)).get();
    }

    /** concert-service knows no such schedule: an answer, not a failure (neither retried nor counted by the breaker). */
    public static class ScheduleNotFound extends RestClientException {
        ScheduleNotFound(long scheduleId) {
            super("no schedule " + scheduleId);
        }
    }
}
