package dev.ticketing.concert;

import dev.ticketing.testsupport.PublicApiDocument;
import dev.ticketing.testsupport.ServiceBootContract;
import dev.ticketing.testsupport.TestInfrastructure;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static dev.ticketing.testsupport.PublicApiDocument.Route.admitted;
import static dev.ticketing.testsupport.PublicApiDocument.Route.open;

/** Boots concert-service on a real MariaDB and Kafka broker and checks what its operators and clients rely on. */
class ConcertApplicationTest extends ServiceBootContract {

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        TestInfrastructure.register(registry, "concert");
    }

    /** C1 to C3 of DESIGN section 3, as called through the gateway; nothing else. */
    @Test
    void documentsItsPublicRoutes(@LocalServerPort int port) {
        PublicApiDocument.fetch(port).assertDescribesExactly(
                open("C1", "GET /api/v1/concerts")
                        .problems(429, "RATE_LIMITED")
                        .problems(503, "SERVICE_UNAVAILABLE"),
                admitted("C2", "GET /api/v1/concerts/{concertId}/schedules")
                        .problems(400, "INVALID_REQUEST")
                        .problems(401, "TOKEN_MISSING", "TOKEN_INVALID", "TOKEN_EXPIRED")
                        .problems(403, "QUEUE_NOT_ADMITTED")
                        .problems(404, "CONCERT_NOT_FOUND")
                        .problems(429, "RATE_LIMITED")
                        .problems(503, "SERVICE_UNAVAILABLE"),
                admitted("C3", "GET /api/v1/concerts/{concertId}/schedules/{scheduleId}/seats")
                        .problems(400, "INVALID_REQUEST")
                        .problems(401, "TOKEN_MISSING", "TOKEN_INVALID", "TOKEN_EXPIRED")
                        .problems(403, "QUEUE_NOT_ADMITTED")
                        .problems(404, "CONCERT_NOT_FOUND", "SCHEDULE_NOT_FOUND")
                        .problems(429, "RATE_LIMITED")
                        .problems(503, "SERVICE_UNAVAILABLE"));
    }
}
