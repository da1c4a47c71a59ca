package dev.ticketing.gateway.problem;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.channel.ConnectTimeoutException;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.server.ResponseStatusException;

import java.io.IOException;
import java.net.ConnectException;

import static org.assertj.core.api.Assertions.assertThat;

/** Errors no black-box request can provoke on purpose still come out as problem+json. */
class ProblemResponsesTest {

    private final ProblemResponses responses = new ProblemResponses(new ObjectMapper());

    @Test
    void answersUnexpectedErrorWithInternalErrorProblem() {
        MockServerWebExchange exchange = handle(new IllegalStateException("bug"));

        assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.INTERNAL_SERVER_ERROR);
        assertThat(exchange.getResponse().getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(exchange.getResponse().getBodyAsString().block()).isEqualTo(
                "{\"type\":\"https://ticketing.dev/problems/internal-error\",\"title\":\"Internal Server Error\","
                        + "\"status\":500,\"detail\":\"unexpected error\",\"code\":\"INTERNAL_ERROR\"}");
    }

    @Test
    void answersUnreachableServiceWithServiceUnavailableAndRetryAfter() {
        for (Throwable unreachable : new Throwable[] {
                new ConnectException("refused"),
                new RuntimeException(new ConnectTimeoutException("slow connect")),
                new ResponseStatusException(HttpStatus.GATEWAY_TIMEOUT),
                new ResponseStatusException(HttpStatus.BAD_GATEWAY),
                // Reactor Netty's words when a pooled connection was closed under it, twice.
                new IOException("Error while acquiring from reactor.netty.internal.shaded.reactor.pool.SimpleDequePool@2fd7129f")}) {
            MockServerWebExchange exchange = handle(unreachable);

            assertThat(exchange.getResponse().getStatusCode()).as(unreachable.toString()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
            assertThat(exchange.getResponse().getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("1");
            assertThat(exchange.getResponse().getBodyAsString().block()).contains("\"code\":\"SERVICE_UNAVAILABLE\"");
        }
    }

    @Test
    void keepsTheStatusOfSpringsOwnClientErrors() {
        MockServerWebExchange exchange = handle(new ResponseStatusException(HttpStatus.BAD_REQUEST, "bad header"));

        assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(exchange.getResponse().getBodyAsString().block()).contains("\"code\":\"INVALID_REQUEST\"");

        // An I/O failure behind a client error (a body cut short) is still the client's 400, not a 503.
        MockServerWebExchange cutShort = handle(new ResponseStatusException(HttpStatus.BAD_REQUEST, "body cut short",
                new IOException("connection reset")));
        assertThat(cutShort.getResponse().getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
    }

    private MockServerWebExchange handle(Throwable error) {
        MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/api/v1/concerts"));
        responses.handle(exchange, error).block();
        return exchange;
    }
}
