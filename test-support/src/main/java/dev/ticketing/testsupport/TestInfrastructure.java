package dev.ticketing.testsupport;

import dev.ticketing.events.Topics;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * Points a Spring Boot test at the shared real servers: a fresh schema of the test database and
 * the test broker with the contract's topics created. Use from a {@code @DynamicPropertySource}.
 */
public final class TestInfrastructure {

    private TestInfrastructure() {
    }

    /** Registers datasource and Kafka properties; returns the schema made for the caller. */
    public static TestDatabase.Schema register(DynamicPropertyRegistry registry, String schemaHint) {
        TestDatabase.Schema schema = TestDatabase.shared().newSchema(schemaHint);
        schema.springProperties().forEach((k, v) -> registry.add(k, () -> v));
        String bootstrap = TestKafka.bootstrapServers();
        TestKafka.createTopics(bootstrap, Topics.PARTITIONS, Topics.ALL);
        registry.add("spring.kafka.bootstrap-servers", () -> bootstrap);
        return schema;
    }
}
