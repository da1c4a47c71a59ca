package dev.ticketing.gateway;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/** Q1 with a plain body is answered at the gateway from queue-service's batched joins; any other body is forwarded. */
class JoinTest extends GatewayTestBase {

    @Test
    void answersAPlainJoinFromABatchedCall201ForANewTokenThen200WithTheSameBytes() {
        long userId = newUserId();

        EntityExchangeResult<byte[]> first = join("{\"userId\":" + userId + "}")
                .expectStatus().isCreated()
                .expectHeader().contentType(MediaType.APPLICATION_JSON)
                .expectBody().returnResult();
        EntityExchangeResult<byte[]> again = join("{\"userId\": " + userId + " }")
                .expectStatus().isOk()
                .expectBody().returnResult();

        assertThat(new String(first.getResponseBody(), StandardCharsets.UTF_8)).isEqualTo(queue.joinedView(userId));
        assertThat(again.getResponseBody()).isEqualTo(first.getResponseBody());
        assertThat(queue.calls()).extracting(StubService.Call::toString)
                .as("batched joins only, no proxied POST /api/v1/queue/tokens")
                .containsExactly("POST /internal/tokens/joins", "POST /internal/tokens/joins");
    }

    @Test
    void forwardsEveryOtherBodyAsItCameSoQueueServiceValidatesIt() {
        List<String> bodies = List.of("{\"userId\":\"7\"}", "{\"userId\":7,\"extra\":1}", "{\"userId\":0}",
                "{\"userId\":-3}", "{\"userId\":7.5}", "{\"userId\":99999999999999999999}", "{}", "[7]", "7",
                "not json", "{\"userId\":null}");
        for (String body : bodies) {
            join(body).expectStatus().isOk().expectBody().jsonPath("$.service").isEqualTo("queue");
        }

        assertThat(queue.calls()).extracting(StubService.Call::toString)
                .containsOnly("POST /api/v1/queue/tokens")
                .hasSize(bodies.size());
        assertThat(queue.calls()).extracting(StubService.Call::bodyLength)
                .containsExactlyElementsOf(bodies.stream().map(b -> b.getBytes(StandardCharsets.UTF_8).length).toList());
    }

    @Test
    void gathersJoinsThatArriveTogetherIntoFewerCallsEachAnsweredForItsOwnUser() throws Exception {
        int joins = 60;
        List<Long> users = new ArrayList<>();
        for (int i = 0; i < joins; i++) {
            users.add(newUserId());
        }
        ExecutorService clients = Executors.newFixedThreadPool(joins);
        try {
            List<Future<String>> answers = new ArrayList<>();
            for (long userId : users) {
                answers.add(clients.submit(() -> new String(join("{\"userId\":" + userId + "}")
                        .expectStatus().isCreated()
                        .expectBody().returnResult().getResponseBody(), StandardCharsets.UTF_8)));
            }
            for (int i = 0; i < joins; i++) {
                assertThat(answers.get(i).get()).isEqualTo(queue.joinedView(users.get(i)));
            }
        } finally {
            clients.shutdownNow();
        }
        assertThat(queue.joinCalls()).as("calls for " + joins + " joins at once").isBetween(1L, joins - 1L);
    }

    @Test
    void givesEachJoinOfOneUserItsOwnAnswerWhenTheyArriveTogether() throws Exception {
        long userId = newUserId();
        ExecutorService clients = Executors.newFixedThreadPool(3);
        try {
            List<Future<Integer>> statuses = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                statuses.add(clients.submit(() -> join("{\"userId\":" + userId + "}").returnResult(String.class).getStatus().value()));
            }
            List<Integer> answered = new ArrayList<>();
            for (Future<Integer> status : statuses) {
                answered.add(status.get());
            }
            assertThat(answered).containsExactlyInAnyOrder(201, 200, 200);
        } finally {
            clients.shutdownNow();
        }
    }

    @Test
    void carriesEachJoinsTraceToQueueService() {
        String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        client.post().uri("/api/v1/queue/tokens").contentType(MediaType.APPLICATION_JSON)
                .header("traceparent", "00-" + traceId + "-00f067aa0ba902b7-01")
                .bodyValue("{\"userId\":" + newUserId() + "}")
                .exchange().expectStatus().isCreated();

        assertThat(queue.joinTraceparents()).singleElement().asString()
                .as("the client's trace, under the gateway's server span").matches("00-" + traceId + "-[0-9a-f]{16}-01")
                .doesNotContain("00f067aa0ba902b7");
    }

    @Test
    void answersServiceUnavailableWhenQueueServiceIsDown() {
        queue.stop();
        try {
            WebTestClient.ResponseSpec joined = join("{\"userId\":" + newUserId() + "}");
            joined.expectHeader().valueEquals(HttpHeaders.RETRY_AFTER, "1");
            assertProblem(joined, HttpStatus.SERVICE_UNAVAILABLE, "SERVICE_UNAVAILABLE");
        } finally {
            queue.restart();
        }
        join("{\"userId\":" + newUserId() + "}").expectStatus().isCreated();
    }

    private WebTestClient.ResponseSpec join(String body) {
        return client.post().uri("/api/v1/queue/tokens").contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }
}
