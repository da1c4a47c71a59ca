package dev.ticketing.gateway;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.boot.test.context.SpringBootTest.WebEnvironment.RANDOM_PORT;

/**
 * The one Spring context most gateway tests share: every service a stub on a real port, tokens
 * verified with the test key pair, the test clock, and rate limiting switched off (with limits so
 * tiny that any leak of a limit would show), tracing and metrics on.
 */
@SpringBootTest(webEnvironment = RANDOM_PORT, properties = {
        "management.server.port=0",
        "ticketing.rate-limit.enabled=false",
        "ticketing.rate-limit.join-per-second=0.001",
        "ticketing.rate-limit.join-burst=1",
        "ticketing.rate-limit.per-token-per-second=0.001",
        "ticketing.rate-limit.per-token-burst=1",
        "ticketing.rate-limit.per-address-per-second=0.001",
        "ticketing.rate-limit.per-address-burst=1",
        // Above the most any other test has in progress at once (100 polls), small enough to fill (OverloadTest).
        "ticketing.overload.max-in-flight=" + GatewayTestBase.MAX_IN_FLIGHT})
@AutoConfigureObservability // tracing and metrics as in production; Spring Boot turns both off in tests
@Import(TestClock.Config.class)
@ExtendWith(ThreadDumpOnFailure.class)
abstract class GatewayTestBase {

    static final int MAX_IN_FLIGHT = 150;

    static final Map<String, StubService> services = Map.of(
            "queue", StubService.start("queue"),
            "concert", StubService.start("concert"),
            "reservation", StubService.start("reservation"),
            "payment", StubService.start("payment"));
    static final StubService queue = services.get("queue");
    private static final AtomicLong users = new AtomicLong(100);

    WebTestClient client;
    TestClock clock;

    @DynamicPropertySource
    static void wire(DynamicPropertyRegistry registry) {
        services.forEach((name, stub) -> stub.register(registry, name + "-service"));
        registry.add("ticketing.token.verification-keys", TestTokens::publicKeys);
    }

    @BeforeEach
    void connect(@Autowired WebTestClient client, @Autowired TestClock clock) {
        this.client = client.mutate().responseTimeout(Duration.ofSeconds(10)).build();
        this.clock = clock;
        services.values().forEach(StubService::forgetCalls);
    }

    static long newUserId() {
        return users.incrementAndGet();
    }

    /** A genuine token for a new user, its status in the queue stub ACTIVE for the next ten minutes. */
    String activeToken(UUID tokenId, long userId) {
        queue.answerTokenStatus(tokenId, userId, "ACTIVE", clock.instant().plus(Duration.ofMinutes(10)));
        return TestTokens.mint(tokenId, userId, clock.instant());
    }

    String activeToken() {
        return activeToken(UUID.randomUUID(), newUserId());
    }

    Instant now() {
        return clock.instant();
    }

    static void assertNoServiceCalled() {
        services.values().forEach(stub -> assertThat(stub.calls()).as("calls to the stub services").isEmpty());
    }

    /** Status, content type and the five members of DESIGN section 3, with the stable code. */
    static void assertProblem(WebTestClient.ResponseSpec response, HttpStatus status, String code) {
        response.expectStatus().isEqualTo(status)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.type").isEqualTo("https://ticketing.dev/problems/" + code.toLowerCase(Locale.ROOT).replace('_', '-'))
                .jsonPath("$.title").isEqualTo(status.getReasonPhrase())
                .jsonPath("$.status").isEqualTo(status.value())
                .jsonPath("$.detail").isNotEmpty()
                .jsonPath("$.code").isEqualTo(code);
    }
}
