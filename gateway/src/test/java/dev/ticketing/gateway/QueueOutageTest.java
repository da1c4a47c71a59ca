package dev.ticketing.gateway;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
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
import java.util.concurrent.atomic.AtomicInteger;

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
        "spring.cloud.gateway.server.webflux.httpclient.response-timeout=1s",
        // queue-service's one instance checked once, at start: this is about the time limit and the circuit
        // breaker, not the load balancer taking a stopped instance out (InstancesTest).
        "spring.cloud.loadbalancer.clients.queue-service.health-check.interval=1h"})
@Import(TestClock.Config.class)
class QueueOutageTest {

    /** DESIGN section 2: the whole budget of a synchronous call. */
    private static final Duration BUDGET = Duration.ofSeconds(2);

    private static final StubService queue = StubService.start("queue");
    private static final StubService concert = StubService.start("concert");
    private static final StubService payment = StubService.start("payment");

    private final WebTestClient client;
    private final TestClock clock;
    private final CircuitBreaker breaker;

    @Autowired
    QueueOutageTest(WebTestClient client, TestClock clock, CircuitBreaker tokenStatusCircuitBreaker) {
        this.client = client.mutate().responseTimeout(Duration.ofSeconds(10)).build();
        this.clock = clock;
        this.breaker = tokenStatusCircuitBreaker;
    }

    @DynamicPropertySource
    static void wire(DynamicPropertyRegistry registry) {
        queue.register(registry, "queue-service");
        concert.register(registry, "concert-service");
        payment.register(registry, "payment-service");
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
        breaker.reset(); // closed, with no outcome of an earlier test counted
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
        // 40 lookups a few ms apart, so the first ones leave in batches of their own, all hanging:
        // more lookups than may be in flight at once wait for a slot. The batching must survive that
        // backlog.
        queue.hang();
        try {
            assertThat(admittedRequestsAtOnce(40, Duration.ofMillis(4))).containsOnly(503);
        } finally {
            queue.answerAgain();
        }
        assertAdmitsAgainAfterTheOpenCircuitsWait();
    }

    @Test
    void countsACallToQueueServiceOnceHoweverManyRequestsItAnswers() throws Exception {
        AtomicInteger failedCalls = new AtomicInteger();
        breaker.getEventPublisher().onError(event -> failedCalls.incrementAndGet());

        // 30 admitted requests at once with queue-service hanging: they share a few lookup calls,
        // and every call ends as one failure of the circuit breaker, not one failure per request
        // it carried (which made a single slow answer open the circuit for every client).
        queue.hang();
        try {
            assertThat(admittedRequestsAtOnce(30, Duration.ZERO)).containsOnly(503);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (failedCalls.get() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(10); // a call's own time limit may end after its requests' limits
            }
            long calls = queue.lookupCalls();
            assertThat(calls).as("lookup calls for 30 requests").isBetween(1L, 10L);
            assertThat(failedCalls.get()).as("failures the circuit breaker counted").isBetween(1, (int) calls);
        } finally {
            queue.answerAgain();
        }
        assertAdmitsAgainAfterTheOpenCircuitsWait();
    }

    /** Sends that many admitted requests from as many threads, that far apart; their statuses. */
    private List<Integer> admittedRequestsAtOnce(int requests, Duration apart) throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(requests);
        try {
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < requests; i++) {
                String token = activeToken();
                answers.add(clients.submit(() -> schedules(token).returnResult(String.class).getStatus().value()));
                Thread.sleep(apart.toMillis()); // shapes the load; nothing is timed
            }
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> answer : answers) {
                statuses.add(answer.get(10, TimeUnit.SECONDS));
            }
            return statuses;
        } finally {
            clients.shutdownNow();
        }
    }

    /**
     * Moves past the open circuit's wait until a probe is admitted. A lookup call still out when
     * the wait is skipped can open the circuit again when it ends, so this tries a few times.
     */
    private void assertAdmitsAgainAfterTheOpenCircuitsWait() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        int status;
        do {
            clock.advance(Duration.ofSeconds(5).plusMillis(1));
            status = schedules(activeToken()).returnResult(String.class).getStatus().value();
        } while (status != 200 && System.nanoTime() < deadline);
        assertThat(status).as("an admitted request after the circuit's wait").isEqualTo(200);
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
