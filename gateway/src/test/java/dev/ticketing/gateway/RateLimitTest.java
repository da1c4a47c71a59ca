package dev.ticketing.gateway;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import java.time.Duration;
import java.util.UUID;

import static dev.ticketing.gateway.GatewayTestBase.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.boot.test.context.SpringBootTest.WebEnvironment.RANDOM_PORT;

/** Step 2 with tiny limits: 2 requests at once, then one every 10 s, so the clock decides, not the machine's speed. */
@SpringBootTest(webEnvironment = RANDOM_PORT, properties = {
        "management.server.port=0",
        "ticketing.rate-limit.enabled=true",
        "ticketing.rate-limit.join-per-second=0.1",
        "ticketing.rate-limit.join-burst=2",
        "ticketing.rate-limit.per-token-per-second=0.1",
        "ticketing.rate-limit.per-token-burst=2",
        "ticketing.rate-limit.per-address-per-second=0.1",
        "ticketing.rate-limit.per-address-burst=2",
        "ticketing.rate-limit.failed-token-checks-per-second=0.1",
        "ticketing.rate-limit.failed-token-checks-burst=2"})
@Import(TestClock.Config.class)
class RateLimitTest {

    private static final StubService queue = StubService.start("queue");
    private static final StubService payment = StubService.start("payment");

    private final WebTestClient client;
    private final TestClock clock;

    @Autowired
    RateLimitTest(WebTestClient client, TestClock clock) {
        this.client = client;
        this.clock = clock;
    }

    @DynamicPropertySource
    static void wire(DynamicPropertyRegistry registry) {
        queue.register(registry, "queue-service");
        payment.register(registry, "payment-service");
        registry.add("ticketing.token.verification-keys", TestTokens::publicKeys);
    }

    @AfterAll
    static void stopStubs() {
        queue.stop();
        payment.stop();
    }

    @BeforeEach
    void refillEveryBucket() {
        clock.advance(Duration.ofHours(1));
    }

    @Test
    void limitsJoiningPerClientAddressAndSaysWhenToComeBack() {
        join().expectStatus().is2xxSuccessful();
        join().expectStatus().is2xxSuccessful();

        WebTestClient.ResponseSpec limited = join();
        limited.expectHeader().valueEquals(HttpHeaders.RETRY_AFTER, "10");
        // A made-up X-Forwarded-For changes nothing: no proxy is trusted by default.
        client.post().uri("/api/v1/queue/tokens").header("X-Forwarded-For", "203.0.113.9")
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"userId\":7}").exchange()
                .expectStatus().isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
        assertProblem(limited, HttpStatus.TOO_MANY_REQUESTS, "RATE_LIMITED");

        clock.advance(Duration.ofSeconds(10));
        join().expectStatus().is2xxSuccessful();
    }

    @Test
    void limitsEachTokenOnItsOwn() {
        String first = TestTokens.mint(UUID.randomUUID(), 7, clock.instant());
        String second = TestTokens.mint(UUID.randomUUID(), 8, clock.instant());

        balance(first).expectStatus().isOk();
        balance(first).expectStatus().isOk();
        WebTestClient.ResponseSpec limited = balance(first);
        limited.expectHeader().exists(HttpHeaders.RETRY_AFTER);
        assertProblem(limited, HttpStatus.TOO_MANY_REQUESTS, "RATE_LIMITED");

        // Same address, another token: its own bucket.
        balance(second).expectStatus().isOk();
    }

    @Test
    void limitsRequestsWithoutValidTokenPerAddressBeforeRefusingTheToken() {
        assertProblem(balance("forged"), HttpStatus.UNAUTHORIZED, "TOKEN_INVALID");
        assertProblem(client.get().uri("/api/v1/queue/status").exchange(), HttpStatus.UNAUTHORIZED, "TOKEN_MISSING");

        WebTestClient.ResponseSpec limited = balance("forged");
        limited.expectHeader().exists(HttpHeaders.RETRY_AFTER);
        assertProblem(limited, HttpStatus.TOO_MANY_REQUESTS, "RATE_LIMITED");
    }

    /**
     * Forged tokens (the real key id, a signature by another key, each one different) from one address: once two
     * signature checks have failed there, the next forged token is refused 429 without its signature being
     * checked; a token refused before is refused again without a check; and genuine tokens this instance has
     * checked before keep being served from that address.
     */
    @Test
    void refusesAFloodOfForgedTokensBeforeCheckingTheirSignatures(@Autowired MeterRegistry meters) {
        String genuine = TestTokens.mint(UUID.randomUUID(), 7, clock.instant());
        balance(genuine).expectStatus().isOk();
        double checksBefore = checks(meters, "refused");
        String firstForged = TestTokens.forgedSignature(UUID.randomUUID(), 7, clock.instant());

        assertProblem(balance(firstForged), HttpStatus.UNAUTHORIZED, "TOKEN_INVALID");
        assertProblem(balance(TestTokens.forgedSignature(UUID.randomUUID(), 7, clock.instant())),
                HttpStatus.UNAUTHORIZED, "TOKEN_INVALID");
        for (int i = 0; i < 20; i++) {
            WebTestClient.ResponseSpec unchecked = balance(TestTokens.forgedSignature(UUID.randomUUID(), 7, clock.instant()));
            unchecked.expectHeader().exists(HttpHeaders.RETRY_AFTER);
            assertProblem(unchecked, HttpStatus.TOO_MANY_REQUESTS, "RATE_LIMITED");
        }
        assertThat(checks(meters, "refused") - checksBefore).as("signature checks of the 22 forged tokens").isEqualTo(2);

        clock.advance(Duration.ofSeconds(10)); // the address's buckets gain a permit each
        balance(genuine).expectStatus().isOk();
        assertProblem(balance(firstForged), HttpStatus.UNAUTHORIZED, "TOKEN_INVALID"); // remembered: not checked again
        assertThat(checks(meters, "refused") - checksBefore).isEqualTo(2);
    }

    private static double checks(MeterRegistry meters, String outcome) {
        return meters.get("gateway.token.checks").tag("outcome", outcome).counter().count();
    }

    private WebTestClient.ResponseSpec join() {
        return client.post().uri("/api/v1/queue/tokens").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"userId\":7}").exchange();
    }

    private WebTestClient.ResponseSpec balance(String token) {
        return client.get().uri("/api/v1/users/7/balance").header("Queue-Token", token).exchange();
    }
}
