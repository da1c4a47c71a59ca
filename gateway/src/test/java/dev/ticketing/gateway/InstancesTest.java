package dev.ticketing.gateway;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.boot.test.context.SpringBootTest.WebEnvironment.RANDOM_PORT;

/**
 * Two instances of every service behind the gateway, each a stand-in on a port of its own, found through
 * Spring Cloud LoadBalancer: requests spread over both, a request that cannot connect to one goes to the other
 * (POSTs too: it never reached the first), and an instance whose liveness fails stops receiving requests until
 * it answers again. Its own context: it stops and breaks instances on purpose.
 */
@SpringBootTest(webEnvironment = RANDOM_PORT, properties = {
        "management.server.port=0",
        "ticketing.rate-limit.enabled=false",
        // concert-service's instances are checked often, so that taking one out is seen quickly; the others'
        // only at start, so that a stopped one stays listed and what is shown is the retry on another instance.
        "spring.cloud.loadbalancer.health-check.interval=1h",
        "spring.cloud.loadbalancer.clients.concert-service.health-check.interval=200ms"})
@Import(TestClock.Config.class)
class InstancesTest {

    private static final StubService queue1 = StubService.start("queue-1");
    private static final StubService queue2 = StubService.start("queue-2");
    private static final StubService concert1 = StubService.start("concert-1");
    private static final StubService concert2 = StubService.start("concert-2");
    private static final StubService reservation1 = StubService.start("reservation-1");
    private static final StubService reservation2 = StubService.start("reservation-2");
    private static final List<StubService> ALL = List.of(queue1, queue2, concert1, concert2, reservation1, reservation2);
    private static final AtomicLong users = new AtomicLong(5_000);

    private final WebTestClient client;
    private final TestClock clock;

    @Autowired
    InstancesTest(WebTestClient client, TestClock clock) {
        this.client = client.mutate().responseTimeout(Duration.ofSeconds(10)).build();
        this.clock = clock;
    }

    @DynamicPropertySource
    static void wire(DynamicPropertyRegistry registry) {
        queue1.register(registry, "queue-service", 0);
        queue2.register(registry, "queue-service", 1);
        concert1.register(registry, "concert-service", 0);
        concert2.register(registry, "concert-service", 1);
        reservation1.register(registry, "reservation-service", 0);
        reservation2.register(registry, "reservation-service", 1);
        registry.add("ticketing.token.verification-keys", TestTokens::publicKeys);
    }

    @AfterAll
    static void stopStubs() {
        ALL.forEach(StubService::stop);
    }

    @BeforeEach
    void forgetCalls() {
        ALL.forEach(StubService::forgetCalls);
    }

    @Test
    void spreadsRequestsOverEveryInstanceOfAService() {
        for (int i = 0; i < 20; i++) {
            client.get().uri("/api/v1/concerts").exchange().expectStatus().isOk();
        }
        assertThat(concert1.calls()).as("calls to concert-service's first instance").hasSizeBetween(5, 15);
        assertThat(concert2.calls()).as("calls to its second instance").hasSizeBetween(5, 15);
        assertThat(concert1.calls().size() + concert2.calls().size()).isEqualTo(20);
    }

    @Test
    void aHoldThatCannotConnectToOneInstanceIsSentOnceToTheOther() {
        // Both instances listed and healthy (the load balancer checks them when it is first used).
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            hold(activeToken()).expectStatus().isOk();
            assertThat(reservation1.calls()).isNotEmpty();
            assertThat(reservation2.calls()).isNotEmpty();
        });
        reservation1.forgetCalls();
        reservation2.forgetCalls();
        reservation1.stop();
        try {
            for (int i = 0; i < 10; i++) {
                hold(activeToken()).expectStatus().isOk();
            }
        } finally {
            reservation1.restart();
        }
        assertThat(reservation2.calls()).as("holds the second instance received, each once").hasSize(10)
                .allSatisfy(call -> assertThat(call.toString()).isEqualTo("POST /api/v1/reservations"));
    }

    @Test
    void tokenLookupsGoToTheOtherQueueInstanceWhenOneCannotBeReached() {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            client.get().uri("/api/v1/concerts/1/schedules").header("Queue-Token", activeToken()).exchange().expectStatus().isOk();
            assertThat(queue1.lookups()).isNotEmpty();
            assertThat(queue2.lookups()).isNotEmpty();
        });
        queue1.forgetCalls();
        queue2.forgetCalls();
        queue1.stop();
        try {
            for (int i = 0; i < 10; i++) {
                client.get().uri("/api/v1/concerts/1/schedules").header("Queue-Token", activeToken())
                        .exchange().expectStatus().isOk();
            }
        } finally {
            queue1.restart();
        }
        assertThat(queue2.lookups()).as("token ids looked up at the second queue instance").hasSize(10);
    }

    @Test
    void anInstanceFailingItsLivenessStopsReceivingRequestsUntilItAnswersAgain() {
        concert1.failLiveness(true);
        try {
            // Within a few health checks, every request goes to the other instance.
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                concert1.forgetCalls();
                for (int i = 0; i < 10; i++) {
                    client.get().uri("/api/v1/concerts").exchange().expectStatus().isOk();
                }
                assertThat(concert1.calls()).as("requests to the instance failing its liveness").isEmpty();
            });
        } finally {
            concert1.failLiveness(false);
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            client.get().uri("/api/v1/concerts").exchange().expectStatus().isOk();
            assertThat(concert1.calls()).as("requests to the instance once it answers again").isNotEmpty();
        });
        assertThat(concert1.healthChecks()).as("liveness checks of concert-service's first instance").isPositive();
    }

    @Test
    void whenEveryInstanceFailsItsLivenessRequestsStillGoToThem() {
        concert1.failLiveness(true);
        concert2.failLiveness(true);
        try {
            // Once a round of checks has failed both, the load balancer uses every known instance rather than none.
            int checked = concert1.healthChecks() + concert2.healthChecks();
            await().atMost(Duration.ofSeconds(10)).until(() -> concert1.healthChecks() + concert2.healthChecks() >= checked + 4);
            for (int i = 0; i < 10; i++) {
                client.get().uri("/api/v1/concerts").exchange().expectStatus().isOk();
            }
        } finally {
            concert1.failLiveness(false);
            concert2.failLiveness(false);
        }
    }

    private WebTestClient.ResponseSpec hold(String token) {
        return client.post().uri("/api/v1/reservations").header("Queue-Token", token)
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"scheduleId\":1,\"seatNos\":[1]}").exchange();
    }

    /** A genuine token for a new user, ACTIVE at both queue instances for the next ten minutes. */
    private String activeToken() {
        UUID tokenId = UUID.randomUUID();
        long userId = users.incrementAndGet();
        Instant until = clock.instant().plus(Duration.ofMinutes(10));
        queue1.answerTokenStatus(tokenId, userId, "ACTIVE", until);
        queue2.answerTokenStatus(tokenId, userId, "ACTIVE", until);
        return TestTokens.mint(tokenId, userId, clock.instant());
    }
}
