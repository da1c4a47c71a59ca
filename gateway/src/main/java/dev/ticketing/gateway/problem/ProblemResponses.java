package dev.ticketing.gateway.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.handler.timeout.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.annotation.Order;
import org.springframework.core.io.buffer.DataBufferLimitException;
import dev.ticketing.web.ProblemCode;
import dev.ticketing.web.Problems;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebExceptionHandler;
import reactor.core.publisher.Mono;

import java.io.IOException;

/**
 * Turns every error that reaches the gateway's edge into {@code application/problem+json}: its own
 * refusals, Spring's (no route, bad request) and a service that cannot be reached, which is a 503
 * with {@code Retry-After} rather than the bare 500 or 504 Spring Cloud Gateway would answer.
 * Ordered before Spring Boot's default handler (-1), so that one never renders an error page.
 */
@Component
@Order(-2)
class ProblemResponses implements WebExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemResponses.class);

    private final ObjectMapper json;

    ProblemResponses(ObjectMapper json) {
        this.json = json;
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, Throwable error) {
        ServerHttpResponse response = exchange.getResponse();
        if (response.isCommitted()) {
            // Part of a service's answer is already on its way: nothing sound can replace it.
            return Mono.error(error);
        }
        ProblemException problem = translate(error, exchange);
        response.setStatusCode(problem.status());
        HttpHeaders headers = response.getHeaders();
        headers.clear();
        headers.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        headers.addAll(problem.headers());
        return response.writeWith(Mono.fromSupplier(() -> response.bufferFactory().wrap(body(problem))));
    }

    private byte[] body(ProblemException problem) {
        return document(json, problem.code(), problem.getMessage());
    }

    /** The problem document of DESIGN section 3, as every answer the gateway makes itself carries it. */
    static byte[] document(ObjectMapper json, ProblemCode code, String detail) {
        Document document = new Document(
                Problems.typeOf(code).toString(),
                Problems.titleOf(code.status()),
                code.status().value(),
                detail,
                code.name());
        try {
            return json.writeValueAsBytes(document);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a problem document", e);
        }
    }

    static ProblemException translate(Throwable error, ServerWebExchange exchange) {
        if (error instanceof ProblemException problem) {
            return problem;
        }
        if (error instanceof DataBufferLimitException) {
            return ProblemException.payloadTooLarge();
        }
        HttpStatus code = error instanceof ResponseStatusException status
                ? HttpStatus.resolve(status.getStatusCode().value()) : null;
        // Spring's own client errors first: they keep their 4xx even when an I/O error caused them.
        if (code != null && code.is4xxClientError()) {
            ResponseStatusException status = (ResponseStatusException) error;
            return switch (code) {
                case NOT_FOUND -> ProblemException.notFound();
                case METHOD_NOT_ALLOWED -> ProblemException.methodNotAllowed(status.getHeaders().getAllow());
                case PAYLOAD_TOO_LARGE -> ProblemException.payloadTooLarge();
                case UNSUPPORTED_MEDIA_TYPE -> ProblemException.unsupportedMediaType();
                case BAD_REQUEST -> ProblemException.invalidRequest(
                        status.getReason() == null ? "bad request" : status.getReason());
                default -> ProblemException.other(code);
            };
        }
        // Spring Cloud Gateway's own answers for a service that did not answer in time, and any
        // failure to reach one.
        if (code == HttpStatus.BAD_GATEWAY || code == HttpStatus.SERVICE_UNAVAILABLE
                || code == HttpStatus.GATEWAY_TIMEOUT || isServiceUnreachable(error)) {
            log.warn("Answering 503 for {} {}: {}", exchange.getRequest().getMethod(),
                    exchange.getRequest().getPath(), error.toString());
            return ProblemException.serviceUnavailable();
        }
        return unexpected(error);
    }

    private static ProblemException unexpected(Throwable error) {
        log.error("Unexpected gateway error", error);
        return ProblemException.internalError();
    }

    /**
     * A connection to a service that could not be made, or was cut before it answered. Any I/O
     * failure counts: under load Reactor Netty also fails a call with a plain IOException ("Error
     * while acquiring from" the pool) when the pooled connection it took had been closed by the
     * service and its one retry failed too; the hold benchmark saw that answered 500 until this.
     */
    private static boolean isServiceUnreachable(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            // IOException: refused, unknown host, no route, Netty's ConnectTimeoutException, resets,
            // Reactor Netty's PrematureCloseException.
            if (cause instanceof IOException
                    || cause instanceof TimeoutException
                    || cause instanceof java.util.concurrent.TimeoutException) {
                return true;
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return false;
    }

    /** Members in the order of DESIGN section 3. */
    private record Document(String type, String title, int status, String detail, String code) {
    }
}
