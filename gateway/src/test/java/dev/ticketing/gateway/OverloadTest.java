package dev.ticketing.gateway;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway's limit of requests in progress (edge.InFlightLimit): beyond it a request is refused 503 at once
 * and reaches no service; probes on the management port still answer; slots come back as requests end.
 */
class OverloadTest extends GatewayTestBase {

    @Test
    void refusesRequestsBeyondItsLimitAtOnceAndTakesNewOnesAgainWhenTheyEnd(
            @LocalServerPort int port, @LocalManagementPort int managementPort, @Autowired MeterRegistry meters) {
        StubService concert = services.get("concert");
        WebClient gateway = WebClient.create("http://127.0.0.1:" + port);
        double shedBefore = meters.get("gateway.requests.shed").counter().count();
        List<CompletableFuture<Integer>> held = new ArrayList<>();
        concert.hang(); // accepts each request and answers only when released
        try {
            for (int i = 0; i < MAX_IN_FLIGHT; i++) {
                held.add(gateway.get().uri("/api/v1/concerts")
                        .exchangeToMono(answer -> answer.releaseBody().thenReturn(answer.statusCode().value()))
                        .toFuture());
            }
            awaitTrue(() -> concert.calls().size() == MAX_IN_FLIGHT, "every request of the limit reached the service", Duration.ofSeconds(10));
            assertThat(meters.get("gateway.requests.in.flight").gauge().value()).isEqualTo(MAX_IN_FLIGHT);

            // One more, on an admitted route too: refused before its token is checked or looked up, and never forwarded.
            WebTestClient.ResponseSpec refused = client.get().uri("/api/v1/concerts").exchange();
            refused.expectHeader().valueEquals(HttpHeaders.RETRY_AFTER, "1");
            assertProblem(refused, HttpStatus.SERVICE_UNAVAILABLE, "SERVICE_UNAVAILABLE");
            queue.forgetCalls();
            assertProblem(client.post().uri("/api/v1/reservations").header("Queue-Token", activeToken())
                    .bodyValue("{\"scheduleId\": 1, \"seatNos\": [1]}").exchange(), HttpStatus.SERVICE_UNAVAILABLE, "SERVICE_UNAVAILABLE");
            assertThat(queue.calls()).as("token lookups for refused requests").isEmpty();
            assertThat(services.get("reservation").calls()).isEmpty();
            assertThat(concert.calls()).hasSize(MAX_IN_FLIGHT);
            assertThat(meters.get("gateway.requests.shed").counter().count() - shedBefore).isEqualTo(2);

            // Probes are not limited: a full instance is alive and ready.
            WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + managementPort).responseTimeout(Duration.ofSeconds(30))
                    .build().get().uri("/actuator/health/readiness").exchange().expectStatus().isOk();
        } finally {
            concert.answerAgain();
        }
        // Every request taken is answered by the service, not cut short by the limit.
        assertThat(held).allSatisfy(answer -> assertThat(answer).succeedsWithin(Duration.ofSeconds(10)).isEqualTo(200));
        awaitTrue(() -> meters.get("gateway.requests.in.flight").gauge().value() == 0, "every slot given back", Duration.ofSeconds(10));
        client.get().uri("/api/v1/concerts").exchange().expectStatus().isOk();
    }

    @Test
    void givesTheSlotBackWhenTheClientGoesAwayBeforeTheAnswer(@LocalServerPort int port, @Autowired MeterRegistry meters) {
        StubService concert = services.get("concert");
        concert.hang();
        try {
            // The client gives up after 300 ms and closes its connection while the service has not answered.
            Mono<Integer> impatient = WebClient.create("http://127.0.0.1:" + port).get().uri("/api/v1/concerts")
                    .exchangeToMono(answer -> Mono.just(answer.statusCode().value()))
                    .timeout(Duration.ofMillis(300))
                    .onErrorReturn(-1);
            assertThat(impatient.block(Duration.ofSeconds(10))).isEqualTo(-1);
            // Within 3 s: the gateway's own time limit on the service's answer (5 s) would give it back too, later.
            awaitTrue(() -> meters.get("gateway.requests.in.flight").gauge().value() == 0,
                    "the slot of a request whose client left is given back", Duration.ofSeconds(3));
        } finally {
            concert.answerAgain();
        }
    }

    /** Polls until the condition holds, for at most {@code limit}: a wait for a state, not a measurement. */
    private static void awaitTrue(BooleanSupplier condition, String what, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what).isLessThan(deadline);
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
