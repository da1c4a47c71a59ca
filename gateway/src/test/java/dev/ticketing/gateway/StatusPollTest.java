package dev.ticketing.gateway;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/** Q2 is answered at the gateway from queue-service's batched poll answers, never forwarded one by one. */
class StatusPollTest extends GatewayTestBase {

    @Test
    void answersAPollWithQueueServicesViewByteForByteWithoutForwardingThePoll() {
        UUID tokenId = UUID.randomUUID();
        long userId = newUserId();
        queue.answerTokenStatus(tokenId, userId, "WAITING", null);

        EntityExchangeResult<byte[]> answer = client.get().uri("/api/v1/queue/status")
                .header("Queue-Token", TestTokens.mint(tokenId, userId, now()))
                .header("X-User-Id", "1").header("X-Queue-Token-Id", UUID.randomUUID().toString())
                .exchange()
                .expectStatus().isOk()
                .expectHeader().contentType(MediaType.APPLICATION_JSON)
                .expectBody().returnResult();

        assertThat(new String(answer.getResponseBody(), StandardCharsets.UTF_8)).isEqualTo(queue.tokenView(tokenId));
        assertThat(queue.calls()).extracting(StubService.Call::toString)
                .as("one batched poll, no proxied GET /api/v1/queue/status")
                .containsExactly("POST /internal/tokens/polls");
        services.forEach((name, stub) -> {
            if (stub != queue) {
                assertThat(stub.calls()).as("calls to " + name).isEmpty();
            }
        });
    }

    @Test
    void passesOnWhenAWaitingClientShouldPollAgainAndNothingOnceItIsLetIn() {
        UUID waiting = UUID.randomUUID();
        long waitingUser = newUserId();
        queue.answerTokenStatus(waiting, waitingUser, "WAITING", null);
        client.get().uri("/api/v1/queue/status").header("Queue-Token", TestTokens.mint(waiting, waitingUser, now()))
                .exchange()
                .expectStatus().isOk()
                .expectHeader().valueEquals("Retry-After", Integer.toString(StubService.WAITING_POLL_AFTER));

        UUID active = UUID.randomUUID();
        long activeUser = newUserId();
        queue.answerTokenStatus(active, activeUser, "ACTIVE", now().plusSeconds(60));
        client.get().uri("/api/v1/queue/status").header("Queue-Token", TestTokens.mint(active, activeUser, now()))
                .exchange()
                .expectStatus().isOk()
                .expectHeader().doesNotExist("Retry-After");
    }

    @Test
    void answersEveryStatusOfTheTokenNotOnlyActive() {
        for (String status : List.of("WAITING", "ACTIVE", "EXPIRED")) {
            UUID tokenId = UUID.randomUUID();
            long userId = newUserId();
            queue.answerTokenStatus(tokenId, userId, status, status.equals("WAITING") ? null : now().plusSeconds(60));
            client.get().uri("/api/v1/queue/status").header("Queue-Token", TestTokens.mint(tokenId, userId, now()))
                    .exchange()
                    .expectStatus().isOk()
                    .expectBody().jsonPath("$.status").isEqualTo(status);
        }
    }

    @Test
    void gathersPollsThatArriveTogetherIntoFewerCallsEachAnsweredWithItsOwnView() throws Exception {
        int polls = 100;
        List<UUID> tokenIds = new ArrayList<>();
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < polls; i++) {
            UUID tokenId = UUID.randomUUID();
            long userId = newUserId();
            queue.answerTokenStatus(tokenId, userId, "WAITING", null);
            tokenIds.add(tokenId);
            tokens.add(TestTokens.mint(tokenId, userId, now()));
        }
        ExecutorService clients = Executors.newFixedThreadPool(polls);
        try {
            List<Future<String>> answers = new ArrayList<>();
            for (String token : tokens) {
                answers.add(clients.submit(() -> new String(client.get().uri("/api/v1/queue/status")
                        .header("Queue-Token", token).exchange()
                        .expectStatus().isOk()
                        .expectBody().returnResult().getResponseBody(), StandardCharsets.UTF_8)));
            }
            for (int i = 0; i < polls; i++) {
                assertThat(answers.get(i).get()).isEqualTo(queue.tokenView(tokenIds.get(i)));
            }
        } finally {
            clients.shutdownNow();
        }
        assertThat(queue.pollCalls()).as("calls for " + polls + " polls at once").isBetween(1L, polls - 1L);
        assertThat(queue.calls()).allMatch(call -> call.uri().equals("/internal/tokens/polls"));
    }

    @Test
    void refusesATokenQueueServiceDoesNotKnowOrThatNamesAnotherUser() {
        assertProblem(client.get().uri("/api/v1/queue/status")
                .header("Queue-Token", TestTokens.mint(UUID.randomUUID(), newUserId(), now())).exchange(),
                HttpStatus.UNAUTHORIZED, "TOKEN_INVALID");

        UUID tokenId = UUID.randomUUID();
        queue.answerTokenStatus(tokenId, newUserId(), "WAITING", null);
        assertProblem(client.get().uri("/api/v1/queue/status")
                .header("Queue-Token", TestTokens.mint(tokenId, newUserId(), now())).exchange(),
                HttpStatus.UNAUTHORIZED, "TOKEN_INVALID");
    }

    @Test
    void neverAsksQueueServiceAboutAMissingForgedOrExpiredToken() {
        assertProblem(client.get().uri("/api/v1/queue/status").exchange(), HttpStatus.UNAUTHORIZED, "TOKEN_MISSING");
        assertProblem(client.get().uri("/api/v1/queue/status").header("Queue-Token", "not-a-jwt").exchange(),
                HttpStatus.UNAUTHORIZED, "TOKEN_INVALID");
        assertProblem(client.get().uri("/api/v1/queue/status")
                .header("Queue-Token", TestTokens.mint(UUID.randomUUID(), newUserId(), now().minus(Duration.ofDays(2))))
                .exchange(), HttpStatus.UNAUTHORIZED, "TOKEN_INVALID");

        assertNoServiceCalled();
    }
}
