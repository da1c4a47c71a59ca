package dev.ticketing.messaging.outbox;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.ticketing.events.BalanceCharged;
import dev.ticketing.events.EventHeaders;
import dev.ticketing.events.Topics;
import dev.ticketing.testsupport.TestKafka;
import dev.ticketing.testsupport.TopicReader;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.mysql.MySQLContainer;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The outbox on the production pair, MySQL 8.4 and an Apache Kafka broker, where a Docker
 * engine runs; skipped cleanly where none does (the embedded servers carry the testing there).
 */
@Testcontainers(disabledWithoutDocker = true)
class OutboxOnContainersTest {

    @Container
    static final MySQLContainer mysql = new MySQLContainer("mysql:8.4");

    @Container
    static final KafkaContainer kafka = new KafkaContainer("apache/kafka:3.9.1")
            .withEnv("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false");

    @Test
    void publishesCommittedEventsInOrderAndNothingOfRolledBackOnes() {
        TestKafka.createTopics(kafka.getBootstrapServers(), Topics.PARTITIONS, Topics.ALL);
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(mysql.getJdbcUrl());
        config.setUsername(mysql.getUsername());
        config.setPassword(mysql.getPassword());
        Clock clock = Clock.systemUTC();
        try (OutboxRig rig = new OutboxRig(new HikariDataSource(config))) {
            Outbox outbox = rig.outbox(clock);
            rig.relay(kafka.getBootstrapServers(), OutboxProperties.defaults(), clock, new SimpleMeterRegistry()).start();
            long user = OutboxRig.uniqueUserBase();

            assertThatThrownBy(() -> rig.tx.executeWithoutResult(s -> {
                outbox.publish(new BalanceCharged(user, 999, 1, 1));
                throw new IllegalStateException("rolled back");
            })).isInstanceOf(IllegalStateException.class);
            for (int i = 1; i <= 50; i++) {
                rig.charge(outbox, user, i, 1);
            }

            try (TopicReader reader = new TopicReader(kafka.getBootstrapServers(), Topics.PAYMENT_EVENTS,
                    r -> r.key().equals(Long.toString(user)))) {
                List<ConsumerRecord<String, String>> records = reader.readUntil(
                        rs -> rs.stream().map(r -> TopicReader.header(r, EventHeaders.EVENT_ID)).distinct().count() >= 50,
                        Duration.ofSeconds(60));
                List<Long> charges = records.stream().map(r -> ((BalanceCharged) OutboxRig.charged(r)).chargeId()).toList();
                assertThat(new LinkedHashSet<>(charges)).containsExactlyElementsOf(
                        java.util.stream.LongStream.rangeClosed(1, 50).boxed().toList());
            }
        }
    }
}
