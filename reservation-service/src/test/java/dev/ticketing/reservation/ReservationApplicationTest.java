package dev.ticketing.reservation;

import dev.ticketing.testsupport.ServiceBootContract;
import dev.ticketing.testsupport.TestInfrastructure;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.client.RestClient;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Boots reservation-service on a real MariaDB and Kafka broker and checks what its operators rely on. */
class ReservationApplicationTest extends ServiceBootContract {

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        TestInfrastructure.register(registry, "reservation");
    }

    @Test
    void hasNoOutboxTestSwitchUnlessAskedFor(@LocalManagementPort int managementPort) {
        RestClient management = RestClient.builder().baseUrl("http://127.0.0.1:" + managementPort)
                .defaultStatusHandler(HttpStatusCode::isError, (request, response) -> { }).build();

        assertThat(management.post().uri("/actuator/outbox").contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("paused", true)).retrieve().toBodilessEntity().getStatusCode().value()).isEqualTo(404);
    }
}
