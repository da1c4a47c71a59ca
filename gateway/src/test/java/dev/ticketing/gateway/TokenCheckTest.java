package dev.ticketing.gateway;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Steps 3 and 4: a token must be there and genuine, and a bad one never costs a call to a service. */
class TokenCheckTest extends GatewayTestBase {

    @ParameterizedTest
    @ValueSource(strings = {"/api/v1/queue/status", "/api/v1/users/7/balance", "/api/v1/concerts/3/schedules"})
    void refusesProtectedRouteWithoutTokenWithTokenMissing(String path) {
        assertProblem(client.get().uri(path).exchange(), HttpStatus.UNAUTHORIZED, "TOKEN_MISSING");
        assertProblem(client.get().uri(path).header("Queue-Token", "").exchange(), HttpStatus.UNAUTHORIZED, "TOKEN_MISSING");

        assertNoServiceCalled();
    }

    static Stream<Arguments> badTokens() {
        UUID id = UUID.randomUUID();
        return Stream.of(
                bad("forged signature", now -> TestTokens.forgedSignature(id, 7, now)),
                bad("tampered payload", now -> TestTokens.tamperedPayload(id, 7, now)),
                bad("unknown kid", now -> TestTokens.unknownKid(id, 7, now)),
                bad("alg none", now -> TestTokens.algNone(id, 7, now)),
                bad("HS256 keyed with the public key", now -> TestTokens.hmacWithPublicKey(id, 7, now)),
                bad("not a JWT", now -> "not-a-token"),
                bad("three empty parts", now -> ".."),
                bad("garbage parts", now -> "a.b.c"),
                bad("truncated signature", now -> TestTokens.mint(id, 7, now).substring(0, TestTokens.mint(id, 7, now).length() - 5)),
                bad("past exp", now -> TestTokens.withClaims(id.toString(), "7", now.minusSeconds(3600), now.minusSeconds(1))),
                bad("exp now", now -> TestTokens.withClaims(id.toString(), "7", now.minusSeconds(3600), now)),
                bad("no exp", now -> TestTokens.withClaims(id.toString(), "7", now, null)),
                bad("jti not a UUID", now -> TestTokens.withClaims("token-1", "7", now, now.plusSeconds(3600))),
                bad("sub not a number", now -> TestTokens.withClaims(id.toString(), "alice", now, now.plusSeconds(3600))),
                bad("sub zero", now -> TestTokens.withClaims(id.toString(), "0", now, now.plusSeconds(3600))),
                bad("sub negative", now -> TestTokens.withClaims(id.toString(), "-7", now, now.plusSeconds(3600))),
                bad("sub too large", now -> TestTokens.withClaims(id.toString(), "99999999999999999999", now, now.plusSeconds(3600))));
    }

    private static Arguments bad(String name, Function<Instant, String> token) {
        return Arguments.of(name, token);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badTokens")
    void refusesBadTokenWithTokenInvalidAndNoCallToAnyService(String name, Function<Instant, String> token) {
        String compact = token.apply(now());

        assertProblem(client.get().uri("/api/v1/concerts/3/schedules").header("Queue-Token", compact).exchange(),
                HttpStatus.UNAUTHORIZED, "TOKEN_INVALID");
        assertProblem(client.get().uri("/api/v1/users/7/balance").header("Queue-Token", compact).exchange(),
                HttpStatus.UNAUTHORIZED, "TOKEN_INVALID");
        assertProblem(client.post().uri("/api/v1/reservations").header("Queue-Token", compact)
                        .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"scheduleId\":3,\"seatNos\":[1]}").exchange(),
                HttpStatus.UNAUTHORIZED, "TOKEN_INVALID");

        assertThat(queue.calls()).as("calls to queue-service").isEmpty();
        assertNoServiceCalled();
    }

    @Test
    void refusesTokenOnceItsExpiryPasses() {
        UUID tokenId = UUID.randomUUID();
        long userId = newUserId();
        String token = TestTokens.withClaims(tokenId.toString(), Long.toString(userId), now(), now().plusSeconds(60));
        client.get().uri("/api/v1/users/{id}/balance", userId).header("Queue-Token", token).exchange()
                .expectStatus().isOk();

        clock.advance(Duration.ofSeconds(60));

        assertProblem(client.get().uri("/api/v1/users/{id}/balance", userId).header("Queue-Token", token).exchange(),
                HttpStatus.UNAUTHORIZED, "TOKEN_INVALID");
    }

    @Test
    void forwardsIdentifiedRouteWithoutAskingQueueService() {
        UUID tokenId = UUID.randomUUID();
        long userId = newUserId();
        // Whatever queue-service would say, an identified route does not ask it.
        queue.answerTokenStatus(tokenId, userId, "EXPIRED", now());

        client.get().uri("/api/v1/users/{id}/balance", userId)
                .header("Queue-Token", TestTokens.mint(tokenId, userId, now()))
                .header("X-User-Id", "1")
                .header("X-Queue-Token-Id", UUID.randomUUID().toString())
                .exchange()
                .expectStatus().isOk();
        client.delete().uri("/api/v1/reservations/42")
                .header("Queue-Token", TestTokens.mint(tokenId, userId, now()))
                .exchange()
                .expectStatus().isOk();

        assertThat(queue.calls()).isEmpty();
        assertThat(services.get("payment").calls()).singleElement().satisfies(call -> {
            assertThat(call.header("X-User-Id")).isEqualTo(Long.toString(userId));
            assertThat(call.header("X-Queue-Token-Id")).isEqualTo(tokenId.toString());
        });
        assertThat(services.get("reservation").calls()).singleElement()
                .satisfies(call -> assertThat(call.header("X-User-Id")).isEqualTo(Long.toString(userId)));
    }

    @Test
    void ignoresQueueTokenOnOpenRoutesAndForwardsNoIdentity() {
        for (String token : new String[] {"not-a-token", TestTokens.mint(UUID.randomUUID(), 7, now())}) {
            client.get().uri("/api/v1/concerts")
                    .header("Queue-Token", token)
                    .header("X-User-Id", "7")
                    .header("X-Queue-Token-Id", UUID.randomUUID().toString())
                    .exchange()
                    .expectStatus().isOk();
            client.post().uri("/api/v1/queue/tokens")
                    .header("Queue-Token", token)
                    .header("X-User-Id", "8")
                    .contentType(MediaType.APPLICATION_JSON)
                    .bodyValue("{\"userId\":7}")
                    .exchange()
                    .expectStatus().is2xxSuccessful();
        }

        assertThat(queue.lookups()).isEmpty();
        Stream.concat(services.get("concert").calls().stream(), queue.calls().stream()).forEach(call -> {
            assertThat(call.header("X-User-Id")).as(call.toString()).isNull();
            assertThat(call.header("X-Queue-Token-Id")).as(call.toString()).isNull();
            assertThat(call.header("Queue-Token")).as(call.toString()).isNull();
        });
        assertThat(services.get("concert").calls()).hasSize(2);
        assertThat(queue.calls()).hasSize(2);
    }
}
