package dev.ticketing.messaging.outbox;

import dev.ticketing.events.EventHeaders;
import dev.ticketing.events.Topics;
import dev.ticketing.testsupport.StandaloneKafka;
import dev.ticketing.testsupport.TestKafka;
import dev.ticketing.testsupport.TopicReader;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The broker goes away while events are committed: they wait in the table, and all of them
 * arrive once it is back. Runs its own broker process, since the shared test broker cannot be
 * stopped and started again.
 */
class OutboxBrokerOutageTest {

    private static StandaloneKafka kafka;

    @BeforeAll
    static void startBroker() {
        kafka = StandaloneKafka.start();
        TestKafka.createTopics(kafka.bootstrapServers(), Topics.PARTITIONS, Topics.ALL);
    }

    @AfterAll
    static void stopBroker() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void keepsEventsWhileTheBrokerIsDownAndSendsThemAllOnceItIsBack() {
        Clock clock = Clock.systemUTC();
        try (OutboxRig rig = new OutboxRig("outbox_outage")) {
            Outbox outbox = rig.outbox(clock);
            SimpleMeterRegistry meters = new SimpleMeterRegistry();
            // Short producer timeouts so the outage is noticed within seconds rather than 30 s.
            rig.relay(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                    ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 1500,
                    ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 3000,
                    ProducerConfig.MAX_BLOCK_MS_CONFIG, 2000), OutboxProperties.defaults(), clock, meters).start();
            long base = OutboxRig.uniqueUserBase();
            int users = 20;

            for (int i = 1; i <= 100; i++) {
                rig.charge(outbox, base + i % users, i, 1);
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> rig.unsent() == 0);

            kafka.stop();
            for (int i = 101; i <= 400; i++) {
                rig.charge(outbox, base + i % users, i, 1);
            }
            // Business transactions commit while the broker is away; their events wait.
            assertThat(rig.unsent()).isEqualTo(300);
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> meters.get("outbox.publish.failures").counter().count() > 0);
            assertThat(rig.unsent()).isEqualTo(300);

            kafka.restart();
            await().atMost(Duration.ofSeconds(90)).until(() -> rig.unsent() == 0);

            try (TopicReader reader = new TopicReader(kafka.bootstrapServers(), Topics.PAYMENT_EVENTS,
                    r -> OutboxRig.isChargeOfUsers(r, base, users))) {
                List<ConsumerRecord<String, String>> records = reader.readUntil(
                        rs -> rs.stream().map(r -> TopicReader.header(r, EventHeaders.EVENT_ID)).distinct().count() >= 400,
                        Duration.ofSeconds(60));
                Set<Long> charges = new HashSet<>();
                records.forEach(r -> charges.add(OutboxRig.charged(r).chargeId()));
                assertThat(charges).hasSize(400);
            }
        }
    }
}
