package dev.ticketing.gateway;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.test.web.reactive.server.WebTestClient;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/** Step 5: admitted routes ask queue-service, and reuse only an ACTIVE answer, briefly. */
class AdmissionTest extends GatewayTestBase {

    private static final String SCHEDULES = "/api/v1/concerts/3/schedules";

    @Test
    void refusesWaitingTokenWithQueueNotAdmitted() {
        UUID tokenId = UUID.randomUUID();
        long userId = newUserId();
        queue.answerTokenStatus(tokenId, userId, "WAITING", null);

        assertProblem(schedules(TestTokens.mint(tokenId, userId, now())), HttpStatus.FORBIDDEN, "QUEUE_NOT_ADMITTED");

        assertThat(queue.lookups()).containsExactly(tokenId.toString());
        assertThat(services.get("concert").calls()).isEmpty();
    }

    @Test
    void refusesTokenExpiredInQueueServiceWithTokenExpired() {
        UUID tokenId = UUID.randomUUID();
        long userId = newUserId();
        queue.answerTokenStatus(tokenId, userId, "EXPIRED", now().minusSeconds(5));

        assertProblem(schedules(TestTokens.mint(tokenId, userId, now())), HttpStatus.UNAUTHORIZED, "TOKEN_EXPIRED");

        assertThat(services.get("concert").calls()).isEmpty();
    }

    @Test
    void refusesTokenUnknownToQueueServiceWithTokenInvalid() {
        assertProblem(schedules(TestTokens.mint(UUID.randomUUID(), newUserId(), now())),
                HttpStatus.UNAUTHORIZED, "TOKEN_INVALID");

        assertThat(queue.lookups()).hasSize(1);
        assertThat(services.get("concert").calls()).isEmpty();
    }

    @Test
    void refusesTokenWhoseUserQueueServiceDoesNotConfirm() {
        UUID tokenId = UUID.randomUUID();
        long userId = newUserId();
        queue.answerTokenStatus(tokenId, userId + 1, "ACTIVE", now().plusSeconds(600));

        assertProblem(schedules(TestTokens.mint(tokenId, userId, now())), HttpStatus.UNAUTHORIZED, "TOKEN_INVALID");
    }

    @Test
    void forwardsActiveTokenWithIdentityFromTheTokenOnly() {
        UUID tokenId = UUID.randomUUID();
        long userId = newUserId();
        String token = activeToken(tokenId, userId);

        client.get().uri(SCHEDULES)
                .header("Queue-Token", token)
                .header("X-User-Id", "1")
                .header("x-user-id", "2")
                .header("X-Queue-Token-Id", UUID.randomUUID().toString())
                .exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.service").isEqualTo("concert");

        assertThat(services.get("concert").calls()).singleElement().satisfies(call -> {
            assertThat(call.header("X-User-Id")).isEqualTo(Long.toString(userId));
            assertThat(call.header("X-Queue-Token-Id")).isEqualTo(tokenId.toString());
        });
    }

    @Test
    void reusesActiveAnswerButRefusesTokenExpiredInQueueServiceWithinOneSecond() {
        UUID tokenId = UUID.randomUUID();
        long userId = newUserId();
        String token = activeToken(tokenId, userId);

        schedules(token).expectStatus().isOk();
        schedules(token).expectStatus().isOk();
        assertThat(queue.lookups()).as("second request served from the cache").hasSize(1);

        // Paid: queue-service ends the token long before its activeUntil.
        queue.answerTokenStatus(tokenId, userId, "EXPIRED", now());
        clock.advance(Duration.ofMillis(999));
        schedules(token).expectStatus().isOk();
        clock.advance(Duration.ofMillis(1));

        assertProblem(schedules(token), HttpStatus.UNAUTHORIZED, "TOKEN_EXPIRED");
        assertThat(queue.lookups()).hasSize(2);
    }

    @Test
    void neverReusesActiveAnswerPastItsActiveUntil() {
        UUID tokenId = UUID.randomUUID();
        long userId = newUserId();
        String token = TestTokens.mint(tokenId, userId, now());
        queue.answerTokenStatus(tokenId, userId, "ACTIVE", now().plusMillis(300));

        schedules(token).expectStatus().isOk();
        clock.advance(Duration.ofMillis(300));
        queue.answerTokenStatus(tokenId, userId, "EXPIRED", now());

        assertProblem(schedules(token), HttpStatus.UNAUTHORIZED, "TOKEN_EXPIRED");
        assertThat(queue.lookups()).hasSize(2);
    }

    @Test
    void neverReusesWaitingAnswer() {
        UUID tokenId = UUID.randomUUID();
        long userId = newUserId();
        String token = TestTokens.mint(tokenId, userId, now());
        queue.answerTokenStatus(tokenId, userId, "WAITING", null);

        schedules(token).expectStatus().isForbidden();
        queue.answerTokenStatus(tokenId, userId, "ACTIVE", now().plusSeconds(600));

        schedules(token).expectStatus().isOk();
        assertThat(queue.lookups()).hasSize(2);
    }

    @Test
    void answersEachOfManyConcurrentRequestsFromItsOwnTokensStatus() throws Exception {
        // Lookups made together share calls to queue-service; every request must still get its own answer.
        String[] states = {"ACTIVE", "WAITING", "EXPIRED", "UNKNOWN"};
        int[] expected = {200, 403, 401, 401};
        List<Callable<int[]>> work = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            UUID tokenId = UUID.randomUUID();
            long userId = newUserId();
            int kind = i % states.length;
            if (!"UNKNOWN".equals(states[kind])) {
                queue.answerTokenStatus(tokenId, userId, states[kind],
                        "WAITING".equals(states[kind]) ? null : now().plusSeconds("ACTIVE".equals(states[kind]) ? 600 : -5));
            }
            String token = TestTokens.mint(tokenId, userId, now());
            work.add(() -> new int[] {expected[kind], schedules(token).returnResult(String.class).getStatus().value()});
        }
        ExecutorService pool = Executors.newFixedThreadPool(30);
        try {
            for (Future<int[]> answer : pool.invokeAll(work)) {
                assertThat(answer.get()[1]).isEqualTo(answer.get()[0]);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(queue.lookups()).hasSize(60).doesNotHaveDuplicates();
    }

    private WebTestClient.ResponseSpec schedules(String token) {
        return client.get().uri(SCHEDULES).header("Queue-Token", token).exchange();
    }
}
