package dev.ticketing.gateway.admission;

import dev.ticketing.gateway.routing.ServiceAddresses;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.reactor.circuitbreaker.operator.CircuitBreakerOperator;
import io.github.resilience4j.reactor.timelimiter.TimeLimiterOperator;
import io.github.resilience4j.timelimiter.TimeLimiter;
import io.netty.channel.ChannelOption;
import jakarta.annotation.PreDestroy;
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
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;

import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Asks queue-service for token statuses. Lookups go out together in one call ({@code POST
 * /internal/tokens/statuses}): those that arrive within a couple of milliseconds of each other, and
 * all that arrive while earlier calls are out. When a sell-out opens, thousands of admitted clients
 * each need their status re-checked every second, and one call per client would cost queue-service
 * more than the requests themselves. Requests for the
 * same token before its batch leaves share one lookup; once the batch is sent, a new request waits
 * for the next one, so no answer is older than the request that uses it.
 * <p>
 * Each call (one batch) goes through a time limit and a circuit breaker, and each request has a
 * time limit of its own, so that with queue-service down an admitted request fails fast (503)
 * instead of piling up, and probes find it again when it returns. No retry: the budget is short,
 * and the client gets Retry-After.
 */
@Component
class TokenStatusClient {

    private static final Logger log = LoggerFactory.getLogger(TokenStatusClient.class);
    /** queue-service answers up to 500 ids a call. */
    static final int MAX_BATCH = 500;
    private static final Duration BATCH_WINDOW = Duration.ofMillis(2);
    /**
     * Few calls out at once: while they are, new lookups pile up into the next batch, so batches
     * grow with load (one id when quiet, hundreds in a burst) and queue-service sees tens of calls
     * a second however many clients there are.
     */
    private static final int BATCHES_IN_FLIGHT = 2;
    /** Where requests go on once their answer is in. */
    private static final Scheduler ANSWERS = Schedulers.newParallel("token-status-answers",
            Runtime.getRuntime().availableProcessors(), true);

    private final LoopResources loop;
    private final ConnectionProvider connections;
    private final WebClient queue;
    private final TimeLimiter timeLimiter;
    private final Duration requestTimeLimit;
    private final CircuitBreaker circuitBreaker;
    /** Each token id waiting for a batch, with the answer its requests wait for. */
    private final Map<UUID, Sinks.One<TokenStatus>> waiting = new ConcurrentHashMap<>();
    /** Guards {@link #unsent}, {@link #inFlight} and {@link #flushDue}. */
    private final Object batches = new Object();
    private final List<UUID> unsent = new ArrayList<>();
    private int inFlight;
    private boolean flushDue;

    TokenStatusClient(ServiceAddresses addresses, AdmissionSettings settings,
                      TimeLimiter tokenStatusTimeLimiter, CircuitBreaker tokenStatusCircuitBreaker) {
        int connectMillis = (int) Math.max(1, settings.lookupTimeout().toMillis());
        // An event loop and connections of its own, so that a lookup's reply is not read after
        // hundreds of proxied requests that are ready on the shared loops when the cores are
        // saturated (1,000 clients holding seats), with every admitted request waiting for it.
        this.loop = LoopResources.create("token-status", 1, true);
        this.connections = ConnectionProvider.builder("token-status")
                .maxConnections(BATCHES_IN_FLIGHT + 2)
                .pendingAcquireTimeout(settings.lookupTimeout())
                .build();
        HttpClient http = HttpClient.create(connections)
                .runOn(loop)
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
        this.requestTimeLimit = settings.lookupTimeout();
        this.circuitBreaker = tokenStatusCircuitBreaker;
    }

    /** The status, {@code UNKNOWN} for a token queue-service does not know; an error when the lookup failed, timed out or the circuit is open. */
    Mono<TokenStatus> fetch(UUID tokenId) {
        return Mono.defer(() -> join(tokenId))
                // Each request's own bound, whatever its batch does (DESIGN: 503 within 2 s). Not
                // counted by the circuit breaker, which counts calls to queue-service, not requests.
                .timeout(requestTimeLimit)
                // A batch's answers are handed out one after another on the thread that read the
                // reply. Without this hop each request would go on through the whole filter chain
                // before the next answer is even handed out, and under load the last answers of a
                // large batch would miss their time limit while waiting for the first ones' work.
                // Not Schedulers.parallel(): its threads run the time limits, which must not wait
                // behind this work.
                .publishOn(ANSWERS);
    }

    private Mono<TokenStatus> join(UUID tokenId) {
        boolean[] first = {false};
        Sinks.One<TokenStatus> answer = waiting.computeIfAbsent(tokenId, id -> {
            first[0] = true;
            return Sinks.one();
        });
        if (first[0]) {
            synchronized (batches) {
                unsent.add(tokenId);
                if (!flushDue && inFlight < BATCHES_IN_FLIGHT) {
                    // Wait a moment for company; if calls are out, their completion sends this.
                    flushDue = true;
                    Schedulers.parallel().schedule(this::flush, BATCH_WINDOW.toMillis(), TimeUnit.MILLISECONDS);
                }
            }
        }
        return answer.asMono();
    }

    /** Sends what is waiting, as far as the calls allowed out at once permit. */
    private void flush() {
        List<List<UUID>> toSend = new ArrayList<>();
        synchronized (batches) {
            flushDue = false;
            while (!unsent.isEmpty() && inFlight < BATCHES_IN_FLIGHT) {
                List<UUID> next = unsent.subList(0, Math.min(MAX_BATCH, unsent.size()));
                toSend.add(List.copyOf(next));
                next.clear();
                inFlight++;
            }
        }
        toSend.forEach(batch -> lookUpBatch(batch).doFinally(signal -> {
            synchronized (batches) {
                inFlight--;
            }
            flush();
        }).subscribe());
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
        // The time limit and the circuit breaker count calls to queue-service, one per batch. Counting
        // each request instead made one slow reply of 500 ids 500 failures, which opened the
        // circuit for everyone, although the next call would have been answered.
        return lookUp(answers.keySet())
                .transformDeferred(TimeLimiterOperator.of(timeLimiter))
                .transformDeferred(CircuitBreakerOperator.of(circuitBreaker))
                .doOnNext(found -> answers.forEach((id, answer) ->
                        answer.tryEmitValue(found.getOrDefault(id, TokenStatus.unknown(id)))))
                .doOnError(error -> answers.values().forEach(answer -> answer.tryEmitError(error)))
                .onErrorResume(error -> Mono.empty())
                .then();
    }

    @PreDestroy
    void close() {
        connections.disposeLater().then(loop.disposeLater()).block(Duration.ofSeconds(5));
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
