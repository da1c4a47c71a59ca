package dev.ticketing.gateway.admission;

import dev.ticketing.gateway.routing.ServiceAddresses;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.reactor.circuitbreaker.operator.CircuitBreakerOperator;
import io.github.resilience4j.reactor.timelimiter.TimeLimiterOperator;
import io.github.resilience4j.timelimiter.TimeLimiter;
import io.netty.channel.ChannelOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

import java.time.Duration;
import java.util.UUID;

/**
 * Asks queue-service for a token's status. Bounded by a time limit and a circuit breaker, so that
 * with queue-service down an admitted request fails fast (503) instead of piling up, and probes
 * find it again when it returns. No retry: the budget is short, and the client gets Retry-After.
 */
@Component
class TokenStatusClient {

    private static final Logger log = LoggerFactory.getLogger(TokenStatusClient.class);

    private final WebClient queue;
    private final TimeLimiter timeLimiter;
    private final CircuitBreaker circuitBreaker;

    TokenStatusClient(ServiceAddresses addresses, AdmissionSettings settings,
                      TimeLimiter tokenStatusTimeLimiter, CircuitBreaker tokenStatusCircuitBreaker) {
        int connectMillis = (int) Math.max(1, settings.lookupTimeout().toMillis());
        HttpClient http = HttpClient.create()
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectMillis)
                .responseTimeout(settings.lookupTimeout());
        // Load the event loops, native transport and resolver now: done lazily, they can cost the
        // first lookup after start more than its time limit.
        http.warmup().block();
        // A plain builder, not Boot's instrumented one: its http.client.requests meter would clash
        // with Spring Cloud Gateway's meter of that name (other tags) and Prometheus would drop the
        // gateway's. The circuit breaker's metrics show this client's health instead.
        this.queue = WebClient.builder()
                .baseUrl(addresses.queue().toString())
                .clientConnector(new ReactorClientHttpConnector(http))
                .build();
        this.timeLimiter = tokenStatusTimeLimiter;
        this.circuitBreaker = tokenStatusCircuitBreaker;
    }

    /** The status, {@code UNKNOWN} for a 404; an error when the lookup failed, timed out or the circuit is open. */
    Mono<TokenStatus> fetch(UUID tokenId) {
        return lookup(tokenId)
                .transformDeferred(TimeLimiterOperator.of(timeLimiter))
                .transformDeferred(CircuitBreakerOperator.of(circuitBreaker));
    }

    /**
     * One lookup of a made-up token id before the gateway reports ready. The first call through a
     * fresh client pays for class loading and connection set-up, which on a small machine comes
     * close to the time limit: without this, the first burst of admitted requests after a start
     * could time out together and open the circuit. Outside the circuit breaker, and any outcome
     * (queue-service not up yet, too) is fine.
     */
    @EventListener(ApplicationReadyEvent.class)
    void warmUp() {
        lookup(UUID.randomUUID())
                .timeout(Duration.ofSeconds(2))
                .onErrorResume(error -> {
                    log.info("Token status lookup warm-up: {}", error.toString());
                    return Mono.empty();
                })
                .block();
    }

    private Mono<TokenStatus> lookup(UUID tokenId) {
        return queue.get()
                .uri("/internal/tokens/{tokenId}", tokenId)
                .accept(MediaType.APPLICATION_JSON)
                .exchangeToMono(response -> {
                    if (response.statusCode().value() == HttpStatus.NOT_FOUND.value()) {
                        return response.releaseBody().thenReturn(TokenStatus.unknown(tokenId));
                    }
                    if (response.statusCode().is2xxSuccessful()) {
                        return response.bodyToMono(TokenStatus.Body.class).map(TokenStatus.Body::toStatus);
                    }
                    return response.createError();
                });
    }
}
