package dev.ticketing.queue;

import dev.ticketing.testsupport.PublicApiDocument;
import dev.ticketing.testsupport.ServiceBootContract;
import dev.ticketing.testsupport.TestInfrastructure;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static dev.ticketing.testsupport.PublicApiDocument.Route.identified;
import static dev.ticketing.testsupport.PublicApiDocument.Route.open;

/** Boots queue-service on a real MariaDB and Kafka broker and checks what its operators and clients rely on. */
class QueueApplicationTest extends ServiceBootContract {

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        TestInfrastructure.register(registry, "queue");
    }

    /** Q1 and Q2 of DESIGN section 3, as called through the gateway; nothing else. */
    @Test
    void documentsItsPublicRoutes(@LocalServerPort int port) {
        PublicApiDocument.fetch(port).assertDescribesExactly(
                open("Q1", "POST /api/v1/queue/tokens")
                        .problems(400, "INVALID_REQUEST")
                        .problems(413, "PAYLOAD_TOO_LARGE")
                        .problems(415, "UNSUPPORTED_MEDIA_TYPE")
                        .problems(429, "RATE_LIMITED")
                        .problems(503, "SERVICE_UNAVAILABLE"),
                identified("Q2", "GET /api/v1/queue/status")
                        .problems(401, "TOKEN_MISSING", "TOKEN_INVALID")
                        .problems(429, "RATE_LIMITED")
                        .problems(503, "SERVICE_UNAVAILABLE"));
    }
}
