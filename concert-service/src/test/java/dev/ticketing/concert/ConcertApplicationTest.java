package dev.ticketing.concert;

import dev.ticketing.testsupport.ServiceBootContract;
import dev.ticketing.testsupport.TestInfrastructure;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Boots concert-service on a real MariaDB and Kafka broker and checks what its operators rely on. */
class ConcertApplicationTest extends ServiceBootContract {

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        TestInfrastructure.register(registry, "concert");
    }
}
