package dev.ticketing.reservation;

import dev.ticketing.testsupport.PublicApiDocument;
import dev.ticketing.testsupport.ServiceBootContract;
import dev.ticketing.testsupport.TestInfrastructure;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.client.RestClient;

import java.util.Map;

import static dev.ticketing.testsupport.PublicApiDocument.Route.admitted;
import static dev.ticketing.testsupport.PublicApiDocument.Route.identified;
import static org.assertj.core.api.Assertions.assertThat;

/** Boots reservation-service on a real MariaDB and Kafka broker and checks what its operators and clients rely on. */
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

    /** R1 to R3 of DESIGN section 3, as called through the gateway; nothing else. */
    @Test
    void documentsItsPublicRoutes(@LocalServerPort int port) {
        PublicApiDocument.fetch(port).assertDescribesExactly(
                admitted("R1", "POST /api/v1/reservations")
                        .problems(400, "INVALID_REQUEST")
                        .problems(401, "TOKEN_MISSING", "TOKEN_INVALID", "TOKEN_EXPIRED")
                        .problems(403, "QUEUE_NOT_ADMITTED")
                        .problems(404, "SCHEDULE_NOT_FOUND")
                        .problems(409, "SEAT_UNAVAILABLE", "RESERVATION_LIMIT", "SCHEDULE_CLOSED",
                                "IDEMPOTENCY_IN_PROGRESS")
                        .problems(413, "PAYLOAD_TOO_LARGE")
                        .problems(415, "UNSUPPORTED_MEDIA_TYPE")
                        .problems(422, "IDEMPOTENCY_KEY_REUSED")
                        .problems(429, "RATE_LIMITED")
                        .problems(503, "SERVICE_UNAVAILABLE"),
                identified("R2", "GET /api/v1/reservations/{reservationId}")
                        .problems(400, "INVALID_REQUEST")
                        .problems(401, "TOKEN_MISSING", "TOKEN_INVALID")
                        .problems(403, "FORBIDDEN")
                        .problems(404, "RESERVATION_NOT_FOUND")
                        .problems(429, "RATE_LIMITED")
                        .problems(503, "SERVICE_UNAVAILABLE"),
                identified("R3", "DELETE /api/v1/reservations/{reservationId}")
                        .problems(400, "INVALID_REQUEST")
                        .problems(401, "TOKEN_MISSING", "TOKEN_INVALID")
                        .problems(403, "FORBIDDEN")
                        .problems(404, "RESERVATION_NOT_FOUND")
                        .problems(409, "RESERVATION_NOT_PENDING")
                        .problems(429, "RATE_LIMITED")
                        .problems(503, "SERVICE_UNAVAILABLE"));
    }
}
