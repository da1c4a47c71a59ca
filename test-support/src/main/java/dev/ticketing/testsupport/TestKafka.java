package dev.ticketing.testsupport;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

/**
 * One real Kafka broker per test JVM: the one named by {@code TEST_KAFKA_BOOTSTRAP}, or else
 * spring-kafka-test's in-process KRaft broker, with topic auto-creation off as in production.
 * Tests share it, so each test tells its own records apart by ids it made, never by topic.
 */
public final class TestKafka {

    private static final Logger log = LoggerFactory.getLogger(TestKafka.class);
    private static volatile String bootstrap;

    private TestKafka() {
    }

    public static String bootstrapServers() {
        if (bootstrap == null) {
            synchronized (TestKafka.class) {
                if (bootstrap == null) {
                    bootstrap = start();
                }
            }
        }
        return bootstrap;
    }

    private static String start() {
        String external = System.getenv("TEST_KAFKA_BOOTSTRAP");
        if (external != null && !external.isBlank()) {
            log.info("Using the Kafka broker named by TEST_KAFKA_BOOTSTRAP: {}", external);
            return external;
        }
        long started = System.nanoTime();
        EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, 6);
        broker.brokerProperties(Map.of(
                "auto.create.topics.enable", "false",
                "group.initial.rebalance.delay.ms", "0",
                "transaction.state.log.replication.factor", "1",
                "transaction.state.log.min.isr", "1"));
        broker.afterPropertiesSet();
        Runtime.getRuntime().addShutdownHook(new Thread(broker::destroy, "embedded-kafka-stop"));
        log.info("Embedded KRaft broker at {} after {} ms", broker.getBrokersAsString(), (System.nanoTime() - started) / 1_000_000);
        return broker.getBrokersAsString();
    }

    /** Creates the topics that do not exist yet (auto-creation is off). */
    public static void createTopics(String bootstrapServers, int partitions, Collection<String> names) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            List<NewTopic> topics = names.stream().map(n -> new NewTopic(n, partitions, (short) 1)).toList();
            for (var entry : admin.createTopics(topics).values().entrySet()) {
                try {
                    entry.getValue().get();
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("Cannot create topic " + entry.getKey(), e.getCause());
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
