package dev.ticketing.gateway;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static dev.ticketing.gateway.GatewayTestBase.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.boot.test.context.SpringBootTest.WebEnvironment.RANDOM_PORT;

/**
 * queue-service hanging or gone: admitted routes fail closed with 503 inside the 2 s budget, the
 * circuit opens, and probes find queue-service again when it returns; other routes keep working.
 * Its own context, since it breaks the queue stub and the circuit on purpose.
 */
@SpringBootTest(webEnvironment = RANDOM_PORT, properties = {
        "management.server.port=0",
        "ticketing.admission.circuit-breaker.sliding-window-size=4",
        "ticketing.admission.circuit-breaker.minimum-number-of-calls=3",
        "ticketing.admission.circuit-breaker.wait-in-open-state=5s",
        "ticketing.admission.circuit-breaker.permitted-calls-in-half-open-state=1",
        // Fixed time for the gateway's calls to services, so 'within 2 s' is about the lookup alone.
        "spring.cloud.gateway.server.webflux.httpclient.response-timeout=1s"})
@Import(TestClock.Config.class)
class QueueOutageTest {

    /** DESIGN section 2: the whole budget of a synchronous call. */
    private static final Duration BUDGET = Duration.ofSeconds(2);

    private static final StubService queue = StubService.start("queue");
    private static final StubService concert = StubService.start("concert");
    private static final StubService payment = StubService.start("payment");

    private final WebTestClient client;
    private final TestClock clock;

    @Autowired
    QueueOutageTest(WebTestClient client, TestClock clock) {
        this.client = client.mutate().responseTimeout(Duration.ofSeconds(10)).build();
        this.clock = clock;
    }

    @DynamicPropertySource
    static void wire(DynamicPropertyRegistry registry) {
        registry.add("ticketing.services.queue", queue::url);
        registry.add("ticketing.services.concert", concert::url);
        registry.add("ticketing.services.payment", payment::url);
        registry.add("ticketing.token.verification-keys", TestTokens::publicKeys);
    }

    @AfterAll
    static void stopStubs() {
        queue.stop();
        concert.stop();
        payment.stop();
    }

    @BeforeEach
    void forgetCalls() {
        queue.forgetCalls();
    }

    @Test
    void failsClosedWhileQueueServiceIsDownAndRecoversByItself() {
        schedules(activeToken()).expectStatus().isOk();

        // Accepts the connection, never answers: the time limit answers.
        queue.hang();
        assertUnavailableWithinBudget();
        queue.answerAgain();

        // Port closed: connection refused.
        queue.stop();
        assertUnavailableWithinBudget();

        // Three lookups, two failed: the circuit is open and no lookup is tried.
        queue.restart();
        queue.forgetCalls();
        assertUnavailableWithinBudget();
        assertThat(queue.calls()).as("lookups while the circuit is open").isEmpty();

        // After the wait in the open state, one probe goes through and closes the circuit again.
        clock.advance(Duration.ofSeconds(5).plusMillis(1));
        schedules(activeToken()).expectStatus().isOk();
        schedules(activeToken()).expectStatus().isOk();
        assertThat(queue.lookups()).hasSize(2);
    }

    @Test
    void keepsLookingUpAfterMoreBatchesPiledUpThanCanBeInFlight() throws Exception {
        // 40 lookups a few ms apart, so each leaves in a batch of its own, all hanging: more batches
        // than may be in flight at once wait for a slot. The batching must survive that backlog.
        queue.hang();
        ExecutorService clients = Executors.newFixedThreadPool(40);
        try {
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                String token = activeToken();
                answers.add(clients.submit(() -> schedules(token).returnResult(String.class).getStatus().value()));
                Thread.sleep(4); // spaces the lookups out (shapes the load; nothing is timed)
            }
            for (Future<Integer> answer : answers) {
                assertThat(answer.get(10, TimeUnit.SECONDS)).isEqualTo(503);
            }
        } finally {
            queue.answerAgain();
            clients.shutdownNow();
        }

        clock.advance(Duration.ofSeconds(5).plusMillis(1)); // past the open circuit's wait
        schedules(activeToken()).expectStatus().isOk();
        schedules(activeToken()).expectStatus().isOk();
    }

    @Test
    void keepsOpenAndIdentifiedRoutesWorkingWhileQueueServiceIsDown() {
        String token = TestTokens.mint(UUID.randomUUID(), 7, clock.instant());
        queue.stop();
        try {
            client.get().uri("/api/v1/concerts").exchange().expectStatus().isOk();
            client.get().uri("/api/v1/users/7/balance").header("Queue-Token", token).exchange().expectStatus().isOk();

            // A route to queue-service itself: the gateway's own 503, never a bare 500 or 504.
            WebTestClient.ResponseSpec status = client.get().uri("/api/v1/queue/status").header("Queue-Token", token).exchange();
            status.expectHeader().valueEquals(HttpHeaders.RETRY_AFTER, "1");
            assertProblem(status, HttpStatus.SERVICE_UNAVAILABLE, "SERVICE_UNAVAILABLE");
        } finally {
            queue.restart();
        }
    }

    @Test
    void answersServiceUnavailableWhenARoutedServiceDoesNotAnswerInTime() {
        queue.hang();
        try {
            long started = System.nanoTime();
            WebTestClient.ResponseSpec status = client.get().uri("/api/v1/queue/status")
                    .header("Queue-Token", TestTokens.mint(UUID.randomUUID(), 7, clock.instant())).exchange();
            status.expectHeader().exists(HttpHeaders.RETRY_AFTER);
            assertProblem(status, HttpStatus.SERVICE_UNAVAILABLE, "SERVICE_UNAVAILABLE");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(BUDGET);
        } finally {
            queue.answerAgain();
        }
    }

    /** With a token not seen before, so no cached answer helps. */
    private void assertUnavailableWithinBudget() {
        String token = activeToken();
        int concertCalls = concert.calls().size();
        long started = System.nanoTime();
        WebTestClient.ResponseSpec response = schedules(token);
        Duration elapsed = Duration.ofNanos(System.nanoTime() - started);

        response.expectHeader().valueEquals(HttpHeaders.RETRY_AFTER, "1");
        assertProblem(response, HttpStatus.SERVICE_UNAVAILABLE, "SERVICE_UNAVAILABLE");
        assertThat(elapsed).as("time to answer").isLessThan(BUDGET);
        assertThat(concert.calls()).as("calls to concert-service").hasSize(concertCalls);
    }

    private String activeToken() {
        UUID tokenId = UUID.randomUUID();
        queue.answerTokenStatus(tokenId, 7, "ACTIVE", clock.instant().plus(Duration.ofMinutes(10)));
        return TestTokens.mint(tokenId, 7, clock.instant());
    }

    private WebTestClient.ResponseSpec schedules(String token) {
        return client.get().uri("/api/v1/concerts/3/schedules").header("Queue-Token", token).exchange();
    }
}
