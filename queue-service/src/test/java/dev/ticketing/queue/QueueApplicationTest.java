package dev.ticketing.queue;

import dev.ticketing.testsupport.ServiceBootContract;
import dev.ticketing.testsupport.TestInfrastructure;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Boots queue-service on a real MariaDB and Kafka broker and checks what its operators rely on. */
class QueueApplicationTest extends ServiceBootContract {

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        TestInfrastructure.register(registry, "queue");
    }
}
