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
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

import jakarta.annotation.PreDestroy;
import reactor.core.Disposable;
import reactor.core.publisher.Sinks;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Asks queue-service for token statuses. Lookups that arrive within a couple of milliseconds of
 * each other go out together in one call ({@code POST /internal/tokens/statuses}): when a sell-out
 * opens, thousands of admitted clients each need their status re-checked every second, and one
 * call per client would cost queue-service more than the requests themselves. Requests for the
 * same token before its batch leaves share one lookup; once the batch is sent, a new request waits
 * for the next one, so no answer is older than the request that uses it.
 * <p>
 * Each request is bounded by a time limit and a circuit breaker, so that with queue-service down
 * an admitted request fails fast (503) instead of piling up, and probes find it again when it
 * returns. No retry: the budget is short, and the client gets Retry-After.
 */
@Component
class TokenStatusClient {

    private static final Logger log = LoggerFactory.getLogger(TokenStatusClient.class);
    static final int MAX_BATCH = 200;
    private static final Duration BATCH_WINDOW = Duration.ofMillis(2);
    private static final int BATCHES_IN_FLIGHT = 16;

    private final WebClient queue;
    private final TimeLimiter timeLimiter;
    private final CircuitBreaker circuitBreaker;
    private final Map<UUID, Sinks.One<TokenStatus>> waiting = new ConcurrentHashMap<>();
    private final Sinks.Many<UUID> toLookUp = Sinks.many().unicast().onBackpressureBuffer();
    private final Disposable batching;

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
        // Fair backpressure: batches wait while BATCHES_IN_FLIGHT calls are out. Without it,
        // bufferTimeout fails the whole pipeline with an overflow when a batch is due and no slot
        // is free (queue-service slow under a burst), and no lookup would ever complete again.
        this.batching = toLookUp.asFlux()
                .bufferTimeout(MAX_BATCH, BATCH_WINDOW, true)
                .flatMap(this::lookUpBatch, BATCHES_IN_FLIGHT)
                .subscribe(done -> { }, error -> log.error("Token status batching stopped", error));
    }

    /** The status, {@code UNKNOWN} for a token queue-service does not know; an error when the lookup failed, timed out or the circuit is open. */
    Mono<TokenStatus> fetch(UUID tokenId) {
        return Mono.defer(() -> join(tokenId))
                .transformDeferred(TimeLimiterOperator.of(timeLimiter))
                .transformDeferred(CircuitBreakerOperator.of(circuitBreaker));
    }

    private Mono<TokenStatus> join(UUID tokenId) {
        boolean[] first = {false};
        Sinks.One<TokenStatus> answer = waiting.computeIfAbsent(tokenId, id -> {
            first[0] = true;
            return Sinks.one();
        });
        if (first[0]) {
            // A unicast sink takes one emitter at a time.
            synchronized (toLookUp) {
                toLookUp.emitNext(tokenId, Sinks.EmitFailureHandler.FAIL_FAST);
            }
        }
        return answer.asMono();
    }

    private Mono<Void> lookUpBatch(List<UUID> tokenIds) {
        // Taken off the waiting list as the batch leaves: later requests join the next batch.
        Map<UUID, Sinks.One<TokenStatus>> answers = new HashMap<>();
        for (UUID id : tokenIds) {
            Sinks.One<TokenStatus> answer = waiting.remove(id);
            if (answer != null) {
                answers.put(id, answer);
            }
        }
        return lookUp(answers.keySet())
                .doOnNext(found -> answers.forEach((id, answer) ->
                        answer.tryEmitValue(found.getOrDefault(id, TokenStatus.unknown(id)))))
                .doOnError(error -> answers.values().forEach(answer -> answer.tryEmitError(error)))
                .onErrorResume(error -> Mono.empty())
                .then();
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
        lookUp(Set.of(UUID.randomUUID()))
                .timeout(Duration.ofSeconds(2))
                .onErrorResume(error -> {
                    log.info("Token status lookup warm-up: {}", error.toString());
                    return Mono.empty();
                })
                .block();
    }

    @PreDestroy
    void stop() {
        batching.dispose();
    }

    private Mono<Map<UUID, TokenStatus>> lookUp(Set<UUID> tokenIds) {
        return queue.post()
                .uri("/internal/tokens/statuses")
                .contentType(MediaType.APPLICATION_JSON)
                .accept(MediaType.APPLICATION_JSON)
                .bodyValue(new Question(tokenIds.stream().map(UUID::toString).toList()))
                .exchangeToMono(response -> {
                    if (response.statusCode().is2xxSuccessful()) {
                        return response.bodyToMono(Answer.class).map(Answer::byTokenId);
                    }
                    return response.createError();
                });
    }

    record Question(List<String> tokenIds) {
    }

    record Answer(List<TokenStatus.Body> tokens) {
        Map<UUID, TokenStatus> byTokenId() {
            Map<UUID, TokenStatus> found = new HashMap<>();
            if (tokens != null) {
                tokens.forEach(body -> {
                    TokenStatus status = body.toStatus();
                    found.put(status.tokenId(), status);
                });
            }
            return found;
        }
    }
}
