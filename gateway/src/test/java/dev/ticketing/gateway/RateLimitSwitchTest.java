package dev.ticketing.gateway;

import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

/** The shared context runs with limits of one request per 1000 s, switched off. */
class RateLimitSwitchTest extends GatewayTestBase {

    @Test
    void letsEveryRequestThroughWhenRateLimitingIsSwitchedOff() {
        String token = activeToken();
        for (int i = 0; i < 5; i++) {
            client.post().uri("/api/v1/queue/tokens").contentType(MediaType.APPLICATION_JSON)
                    .bodyValue("{\"userId\":7}").exchange().expectStatus().is2xxSuccessful();
            client.get().uri("/api/v1/concerts").exchange().expectStatus().isOk();
            client.get().uri("/api/v1/users/7/balance").header("Queue-Token", token).exchange().expectStatus().isOk();
            client.get().uri("/api/v1/queue/status").exchange().expectStatus().isUnauthorized();
        }
    }
}
