package dev.ticketing.payment;

import dev.ticketing.testsupport.PublicApiDocument;
import dev.ticketing.testsupport.ServiceBootContract;
import dev.ticketing.testsupport.TestInfrastructure;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static dev.ticketing.testsupport.PublicApiDocument.Route.identified;

/** Boots payment-service on a real MariaDB and Kafka broker and checks what its operators and clients rely on. */
class PaymentApplicationTest extends ServiceBootContract {

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        TestInfrastructure.register(registry, "payment");
    }

    /** B1 to B3 and P1 to P3 of DESIGN section 3, as called through the gateway; nothing else. */
    @Test
    void documentsItsPublicRoutes(@LocalServerPort int port) {
        PublicApiDocument.fetch(port).assertDescribesExactly(
                identified("B1", "GET /api/v1/users/{userId}/balance")
                        .problems(400, "INVALID_REQUEST")
                        .problems(401, "TOKEN_MISSING", "TOKEN_INVALID")
                        .problems(403, "FORBIDDEN")
                        .problems(429, "RATE_LIMITED")
                        .problems(503, "SERVICE_UNAVAILABLE"),
                identified("B2", "POST /api/v1/users/{userId}/balance/charges")
                        .problems(400, "INVALID_REQUEST", "INVALID_AMOUNT")
                        .problems(401, "TOKEN_MISSING", "TOKEN_INVALID")
                        .problems(403, "FORBIDDEN")
                        .problems(409, "BALANCE_LIMIT_EXCEEDED", "IDEMPOTENCY_IN_PROGRESS")
                        .problems(413, "PAYLOAD_TOO_LARGE")
                        .problems(415, "UNSUPPORTED_MEDIA_TYPE")
                        .problems(422, "IDEMPOTENCY_KEY_REUSED")
                        .problems(429, "RATE_LIMITED")
                        .problems(503, "SERVICE_UNAVAILABLE"),
                identified("B3", "GET /api/v1/users/{userId}/balance/history")
                        .problems(400, "INVALID_REQUEST")
                        .problems(401, "TOKEN_MISSING", "TOKEN_INVALID")
                        .problems(403, "FORBIDDEN")
                        .problems(429, "RATE_LIMITED")
                        .problems(503, "SERVICE_UNAVAILABLE"),
                identified("P1", "POST /api/v1/payments")
                        .problems(400, "INVALID_REQUEST")
                        .problems(401, "TOKEN_MISSING", "TOKEN_INVALID")
                        .problems(403, "FORBIDDEN")
                        .problems(404, "RESERVATION_NOT_FOUND")
                        .problems(409, "RESERVATION_EXPIRED", "RESERVATION_NOT_PENDING", "ALREADY_PAID",
                                "INSUFFICIENT_BALANCE", "IDEMPOTENCY_IN_PROGRESS")
                        .problems(413, "PAYLOAD_TOO_LARGE")
                        .problems(415, "UNSUPPORTED_MEDIA_TYPE")
                        .problems(422, "IDEMPOTENCY_KEY_REUSED")
                        .problems(429, "RATE_LIMITED")
                        .problems(503, "SERVICE_UNAVAILABLE"),
                identified("P2", "GET /api/v1/payments/{paymentId}")
                        .problems(400, "INVALID_REQUEST")
                        .problems(401, "TOKEN_MISSING", "TOKEN_INVALID")
                        .problems(403, "FORBIDDEN")
                        .problems(404, "PAYMENT_NOT_FOUND")
                        .problems(429, "RATE_LIMITED")
                        .problems(503, "SERVICE_UNAVAILABLE"),
                identified("P3", "GET /api/v1/users/{userId}/payments")
                        .problems(400, "INVALID_REQUEST")
                        .problems(401, "TOKEN_MISSING", "TOKEN_INVALID")
                        .problems(403, "FORBIDDEN")
                        .problems(429, "RATE_LIMITED")
                        .problems(503, "SERVICE_UNAVAILABLE"));
    }
}
