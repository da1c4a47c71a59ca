package dev.ticketing.gateway.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ticketing.gateway.problem.ProblemException;
import dev.ticketing.gateway.routing.ServerSpans;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.propagation.Propagator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

import java.io.IOException;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * Answers joins (Q1) from queue-service's batched answers instead of proxying each join. When a
 * sell-out opens, tens of thousands join within a minute; one call for many joins saves
 * queue-service an HTTP exchange per join (it already writes the joins that arrive together in one
 * transaction) and the gateway a proxied exchange. Only a body of the plain form {@code {"userId":
 * <positive whole number>}} takes this way; any other body is forwarded as it came, so that
 * queue-service's own validation answers it (400 and its detail), exactly as before. Each join
 * keeps its request's trace: queue-service puts it on the join's QueueTokenIssued event.
 */
@Component
public class QueueJoins {

    private static final Logger log = LoggerFactory.getLogger(QueueJoins.class);

    private final QueueServiceClient queue;
    private final ObjectMapper json;
    private final Propagator propagator;

    QueueJoins(QueueServiceClient queue, ObjectMapper json, ObjectProvider<Propagator> propagator) {
        this.queue = queue;
        this.json = json;
        this.propagator = propagator.getIfAvailable(() -> Propagator.NOOP);
    }

    /** The user id of a body of the form {@code {"userId": n}}, n a positive whole number; empty for any other body. */
    public OptionalLong plainJoin(byte[] body) {
        try {
            JsonNode join = json.readTree(body);
            if (join == null || !join.isObject() || join.size() != 1) {
                return OptionalLong.empty();
            }
            JsonNode userId = join.get("userId");
            if (userId == null || !userId.isIntegralNumber() || !userId.canConvertToLong() || userId.asLong() <= 0) {
                return OptionalLong.empty();
            }
            return OptionalLong.of(userId.asLong());
        } catch (IOException notJson) {
            return OptionalLong.empty();
        }
    }

    /** Writes Q1's answer for the user: 201 and the new token's view, 200 and their live one, or 503. */
    public Mono<Void> answer(long userId, ServerWebExchange exchange) {
        TokenJoin.Asked asked = new TokenJoin.Asked(UUID.randomUUID(), userId, traceparent(exchange));
        return queue.join(asked)
                .onErrorMap(error -> {
                    log.warn("Join failed, answering 503: {}", error.toString());
                    return ProblemException.serviceUnavailable();
                })
                .flatMap(joined -> {
                    if (!joined.succeeded()) {
                        return Mono.error(ProblemException.serviceUnavailable());
                    }
                    ServerHttpResponse response = exchange.getResponse();
                    response.setStatusCode(joined.created() ? HttpStatus.CREATED : HttpStatus.OK);
                    response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
                    response.getHeaders().setContentLength(joined.view().length);
                    return response.writeWith(Mono.fromSupplier(() -> response.bufferFactory().wrap(joined.view())));
                });
    }

    private String traceparent(ServerWebExchange exchange) {
        Span span = ServerSpans.of(exchange);
        if (span == null) {
            return null;
        }
        String[] traceparent = {null};
        propagator.inject(span.context(), traceparent, (carrier, key, value) -> {
            if ("traceparent".equals(key)) {
                carrier[0] = value;
            }
        });
        return traceparent[0];
    }
}
