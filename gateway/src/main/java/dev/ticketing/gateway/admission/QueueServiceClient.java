package dev.ticketing.gateway.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ticketing.gateway.routing.Upstream;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.timelimiter.TimeLimiter;
import io.netty.channel.ChannelOption;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.cloud.client.loadbalancer.reactive.LoadBalancedExchangeFilterFunction;
import org.springframework.context.event.EventListener;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Asks queue-service about tokens, in batches ({@link Batcher}): the statuses behind admitted routes
 * ({@code POST /internal/tokens/statuses}) and the views that status polls answer with ({@code POST
 * /internal/tokens/polls}), both through one time limit and circuit breaker, and the joins that Q1
 * answers with ({@code POST /internal/tokens/joins}), through a longer limit and a breaker of their
 * own; all on an event loop and connections of their own, each call to one of queue-service's instances
 * (Spring Cloud LoadBalancer; a call that could not connect goes to another instance,
 * {@code spring.cloud.loadbalancer.retry}).
 */
@Component
class QueueServiceClient {

    private static final Logger log = LoggerFactory.getLogger(QueueServiceClient.class);
    /** queue-service answers up to 500 ids a call. */
    static final int MAX_BATCH = 500;
    /** queue-service signs each join of a call in turn: smaller calls keep a join's wait short. */
    static final int MAX_JOIN_BATCH = 100;

    private final LoopResources loop;
    private final ConnectionProvider connections;
    private final WebClient queue;
    private final Batcher<UUID, TokenStatus> statuses;
    private final Batcher<UUID, TokenPoll> polls;
    private final Batcher<TokenJoin.Asked, TokenJoin.Answered> joins;

    QueueServiceClient(LoadBalancedExchangeFilterFunction loadBalancer, AdmissionSettings settings, ObjectMapper json,
                      TimeLimiter tokenStatusTimeLimiter, CircuitBreaker tokenStatusCircuitBreaker,
                      CircuitBreakerRegistry queueCircuitBreakers) {
        int connectMillis = (int) Math.max(1, settings.lookupTimeout().toMillis());
        // An event loop and connections of its own, so that a lookup's reply is not read after
        // hundreds of proxied requests that are ready on the shared loops when the cores are
        // saturated (1,000 clients holding seats), with every admitted request waiting for it.
        this.loop = LoopResources.create("token-status", 1, true);
        this.connections = ConnectionProvider.builder("token-status")
                .maxConnections(3 * Batcher.BATCHES_IN_FLIGHT + 2)
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
                .baseUrl("http://" + Upstream.QUEUE.serviceName())
                .filter(loadBalancer)
                .clientConnector(new ReactorClientHttpConnector(http))
                .build();
        this.statuses = new Batcher<>(MAX_BATCH, this::lookUp, TokenStatus::unknown,
                tokenStatusTimeLimiter, tokenStatusCircuitBreaker, settings.lookupTimeout());
        this.polls = new Batcher<>(MAX_BATCH, ids -> poll(ids, json), TokenPoll::unknown,
                tokenStatusTimeLimiter, tokenStatusCircuitBreaker, settings.lookupTimeout());
        this.joins = new Batcher<>(MAX_JOIN_BATCH, asked -> join(asked, json), TokenJoin.Answered::failed,
                AdmissionConfiguration.joinTimeLimiter(settings),
                queueCircuitBreakers.circuitBreaker(AdmissionConfiguration.QUEUE_JOIN), settings.joinTimeout());
    }

    /** The status, {@code UNKNOWN} for a token queue-service does not know; an error when the lookup failed, timed out or the circuit is open. */
    Mono<TokenStatus> fetch(UUID tokenId) {
        return statuses.ask(tokenId);
    }

    /**
     * The token's view as a status poll sees it (queue-service also records that its holder is
     * still there); {@link TokenPoll#known()} false for a token queue-service does not know. An
     * error when the call failed, timed out or the circuit is open.
     */
    Mono<TokenPoll> poll(UUID tokenId) {
        return polls.ask(tokenId);
    }

    /**
     * queue-service's answer to one join; {@link TokenJoin.Answered#succeeded()} false where that
     * join failed there. An error when the call failed, timed out or its circuit is open.
     */
    Mono<TokenJoin.Answered> join(TokenJoin.Asked join) {
        return joins.ask(join);
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
        return call("/internal/tokens/statuses", tokenIds, Answer.class).map(Answer::byTokenId);
    }

    private Mono<Map<UUID, TokenPoll>> poll(Set<UUID> tokenIds, ObjectMapper json) {
        return call("/internal/tokens/polls", tokenIds, JsonNode.class).map(answer -> TokenPoll.read(answer, json));
    }

    private Mono<Map<TokenJoin.Asked, TokenJoin.Answered>> join(Set<TokenJoin.Asked> asked, ObjectMapper json) {
        List<TokenJoin.Asked> inOrder = List.copyOf(asked);
        return call("/internal/tokens/joins", TokenJoin.question(inOrder), JsonNode.class)
                .map(answer -> TokenJoin.read(inOrder, answer, json));
    }

    private <T> Mono<T> call(String uri, Set<UUID> tokenIds, Class<T> answer) {
        return call(uri, new Question(tokenIds.stream().map(UUID::toString).toList()), answer);
    }

    private <T> Mono<T> call(String uri, Object question, Class<T> answer) {
        return queue.post()
                .uri(uri)
                .contentType(MediaType.APPLICATION_JSON)
                .accept(MediaType.APPLICATION_JSON)
                .bodyValue(question)
                .exchangeToMono(response -> response.statusCode().is2xxSuccessful()
                        ? response.bodyToMono(answer)
                        : response.createError());
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
