package dev.ticketing.gateway.admission;

import dev.ticketing.gateway.problem.ProblemException;
import dev.ticketing.gateway.token.QueueToken;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Answers status polls (Q2) with queue-service's token view, asked for in batches instead of
 * proxying each poll. Every waiting client polls every few seconds, so when a sell-out opens polls
 * are most of the traffic; one call for hundreds of polls saves queue-service an HTTP exchange and a
 * query per poll, and the gateway a proxied exchange. The view is queue-service's, byte for byte,
 * and never older than the poll ({@link Batcher}), with queue-service's {@code Retry-After} (when to poll
 * again while waiting); queue-service records each poll as the holder's last sign of life as it does for
 * a proxied one.
 */
@Component
public class QueueStatusPolls {

    private static final Logger log = LoggerFactory.getLogger(QueueStatusPolls.class);

    private final QueueServiceClient queue;

    QueueStatusPolls(QueueServiceClient queue) {
        this.queue = queue;
    }

    /** Writes the verified token's view: 200, or 401 TOKEN_INVALID for a token queue-service does not know, or 503. */
    public Mono<Void> answer(QueueToken token, ServerWebExchange exchange) {
        return queue.poll(token.tokenId())
                .onErrorMap(error -> {
                    log.warn("Status poll failed, answering 503: {}", error.toString());
                    return ProblemException.serviceUnavailable();
                })
                .flatMap(poll -> {
                    if (!poll.known()) {
                        return Mono.error(ProblemException.tokenInvalid());
                    }
                    if (poll.userId() != token.userId()) {
                        // A genuine signature over ids queue-service does not hold together: refuse, never guess.
                        log.warn("Token {} names user {}, queue-service says user {}", token.tokenId(), token.userId(), poll.userId());
                        return Mono.error(ProblemException.tokenInvalid());
                    }
                    ServerHttpResponse response = exchange.getResponse();
                    response.setStatusCode(HttpStatus.OK);
                    response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
                    response.getHeaders().setContentLength(poll.view().length);
                    if (poll.pollAfterSeconds() != null) {
                        // When to poll again, as queue-service paces the waiting crowd (its Q2 says the same).
                        response.getHeaders().set(HttpHeaders.RETRY_AFTER, poll.pollAfterSeconds().toString());
                    }
                    return response.writeWith(Mono.fromSupplier(() -> response.bufferFactory().wrap(poll.view())));
                });
    }
}
