package dev.ticketing.messaging.consumer;

import dev.ticketing.events.EventEnvelope;
import dev.ticketing.events.EventJson;
import dev.ticketing.events.QueueTokenActivated;
import dev.ticketing.events.QueueTokenIssued;
import dev.ticketing.events.Topics;
import dev.ticketing.messaging.outbox.ReliableProducer;
import dev.ticketing.testsupport.TestDatabase;
import dev.ticketing.testsupport.TestInfrastructure;
import dev.ticketing.testsupport.TestKafka;
import dev.ticketing.testsupport.TopicReader;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Idempotent consumption and the listener error policy, in a Spring Boot service on a real
 * MariaDB and a real Kafka broker.
 */
@SpringBootTest(classes = ConsumerTestApplication.class, properties = {
        "spring.kafka.consumer.group-id=" + ConsumerTestApplication.GROUP,
        "spring.kafka.consumer.auto-offset-reset=earliest",
        "ticketing.messaging.consumes=" + Topics.QUEUE_EVENTS,
        "ticketing.outbox.enabled=false",
        // Retries back off up to 500 ms here instead of 5 s: the tests count tries, not how long they wait.
        "ticketing.messaging.max-retry-backoff=500ms",
        // A lock wait fails after 1 s, so the transient-failure test does not wait 50 s per try.
        "spring.datasource.hikari.connection-init-sql=SET SESSION innodb_lock_wait_timeout = 1"})
class IdempotentConsumerIntegrationTest {

    private static final String DLT = Topics.deadLetter(Topics.QUEUE_EVENTS, ConsumerTestApplication.GROUP);
    private static TestDatabase.Schema schema;
    private static final KafkaTemplate<String, String> producer = ReliableProducer.template(TestKafka.bootstrapServers());

    @Autowired
    IdempotentConsumer consumer;
    @Autowired
    ConsumerTestApplication.QueueEventsListener listener;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    SimpleMeterRegistry meters;
    @Autowired
    DeadLetterRedriver redriver;
    @Autowired
    ConsumersEndpoint consumers;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        schema = TestInfrastructure.register(registry, "consumer_it");
    }

    @AfterAll
    static void closeProducer() {
        producer.getProducerFactory().reset();
    }

    @Test
    void appliesAnEventDeliveredTwiceAndConcurrentlyOnlyOnce() throws Exception {
        EventEnvelope twice = issued("twice-" + UUID.randomUUID());
        ConsumerRecord<String, String> record = record(twice);
        assertThat(consumer.consume(record, ConsumerTestApplication.GROUP, listener.handlers())).isTrue();
        assertThat(consumer.consume(record, ConsumerTestApplication.GROUP, listener.handlers())).isFalse();
        assertThat(applied(tokenOf(twice))).isEqualTo(1);

        EventEnvelope racing = issued("racing-" + UUID.randomUUID());
        ConsumerRecord<String, String> racingRecord = record(racing);
        int threads = 8;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<Boolean>> results = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            results.add(pool.submit(() -> {
                start.await();
                return consumer.consume(racingRecord, ConsumerTestApplication.GROUP, listener.handlers());
            }));
        }
        start.countDown();
        int ran = 0;
        for (Future<Boolean> f : results) {
            ran += f.get(30, TimeUnit.SECONDS) ? 1 : 0;
        }
        pool.shutdown();
        assertThat(ran).isEqualTo(1);
        assertThat(applied(tokenOf(racing))).isEqualTo(1);
    }

    @Test
    void appliesARecordPublishedTwiceOnTheTopicOnce() throws Exception {
        EventEnvelope event = issued("republished-" + UUID.randomUUID());
        String json = EventJson.write(event);
        producer.send(Topics.QUEUE_EVENTS, event.key(), json).get(10, TimeUnit.SECONDS);
        producer.send(Topics.QUEUE_EVENTS, event.key(), json).get(10, TimeUnit.SECONDS);
        // A marker after both, on the same key and so the same partition: once it is applied,
        // both copies have been through the listener.
        EventEnvelope marker = issued("marker-" + UUID.randomUUID(), Long.parseLong(event.key()));
        producer.send(Topics.QUEUE_EVENTS, marker.key(), EventJson.write(marker)).get(10, TimeUnit.SECONDS);

        await().atMost(Duration.ofSeconds(30)).until(() -> applied(tokenOf(marker)) == 1);
        assertThat(applied(tokenOf(event))).isEqualTo(1);
    }

    @Test
    void deadLettersRecordsThatCanNeverSucceedAndGoesOn() throws Exception {
        EventEnvelope good = issued("after-poison-" + UUID.randomUUID());
        String key = good.key();
        String valid = EventJson.write(issued("template-" + UUID.randomUUID(), Long.parseLong(key)));
        List<String> poison = List.of(
                "this is not JSON",
                valid.replace("\"schemaVersion\":1", "\"schemaVersion\":99"),
                valid.replaceAll(",?\"sequence\":\\d+", ""));
        String unknownType = valid.replace("\"QueueTokenIssued\"", "\"QueueTokenTeleported\"");
        for (String value : poison) {
            producer.send(Topics.QUEUE_EVENTS, key, value).get(10, TimeUnit.SECONDS);
        }
        producer.send(Topics.QUEUE_EVENTS, key, unknownType).get(10, TimeUnit.SECONDS);
        producer.send(Topics.QUEUE_EVENTS, key, EventJson.write(good)).get(10, TimeUnit.SECONDS);

        await().atMost(Duration.ofSeconds(30)).until(() -> applied(tokenOf(good)) == 1);
        try (TopicReader reader = new TopicReader(TestKafka.bootstrapServers(), DLT, r -> key.equals(r.key()))) {
            List<ConsumerRecord<String, String>> dead = reader.readUntil(rs -> rs.size() >= 3, Duration.ofSeconds(30));
            // The unknown type was skipped, not dead-lettered; the good record was applied.
            assertThat(dead).extracting(ConsumerRecord::value).containsExactlyElementsOf(poison);
            assertThat(TopicReader.header(dead.get(0), "kafka_dlt-original-topic")).isEqualTo(Topics.QUEUE_EVENTS);
        }
        assertThat(meters.get("messaging.dead.letter").tag("topic", Topics.QUEUE_EVENTS).counter().count())
                .isGreaterThanOrEqualTo(3);
    }

    @Test
    void retriesATransientFailureUntilItPassesWithoutDeadLettering() throws Exception {
        EventEnvelope blocked = issued("lock-" + UUID.randomUUID());
        int attemptsBefore = listener.attempts.get();
        try (Connection holder = DriverManager.getConnection(schema.jdbcUrl(), schema.user(), schema.password())) {
            holder.setAutoCommit(false);
            try (Statement s = holder.createStatement()) {
                s.executeQuery("SELECT value FROM lockable WHERE id = 1 FOR UPDATE").close();
            }
            producer.send(Topics.QUEUE_EVENTS, blocked.key(), EventJson.write(blocked)).get(10, TimeUnit.SECONDS);
            // Lock wait timeouts: the listener keeps trying the same record.
            await().atMost(Duration.ofSeconds(90)).until(() -> listener.attempts.get() - attemptsBefore >= 7);
            assertThat(applied(tokenOf(blocked))).isZero();
            holder.rollback();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> applied(tokenOf(blocked)) == 1);

        assertNoDeadLetterOfKeyBeforeAPoisonMarker(blocked.key());
    }

    /**
     * A failure the policy does not recognise (a bug, or a database answering read-only during a failover) is
     * not a reason to give a record up: it is retried, holding its partition, until it passes, and never
     * dead-lettered (a dead-lettered PaymentCompleted would leave the seats to be resold and no refund).
     */
    @Test
    void retriesAnUnexpectedFailureUntilItPassesWithoutDeadLettering() throws Exception {
        String token = ConsumerTestApplication.ACTIVATION + UUID.randomUUID();
        EventEnvelope activated = activated(token);
        int attemptsBefore = listener.activationAttempts.get();
        listener.activationsBroken = true;
        try {
            producer.send(Topics.QUEUE_EVENTS, activated.key(), EventJson.write(activated)).get(10, TimeUnit.SECONDS);
            // More tries than the five after which such a failure used to be dead-lettered (in 2 s).
            await().atMost(Duration.ofSeconds(60)).until(() -> listener.activationAttempts.get() - attemptsBefore >= 8);
            assertThat(applied(token)).isZero();
        } finally {
            listener.activationsBroken = false;
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> applied(token) == 1);
        assertThat(meters.get("messaging.consumer.failures").tag("topic", Topics.QUEUE_EVENTS).tag("kind", "unexpected")
                .counter().count()).as("unexpected failures counted").isGreaterThanOrEqualTo(8);

        assertNoDeadLetterOfKeyBeforeAPoisonMarker(activated.key());
    }

    /** A record refused as poison goes to the dead-letter topic at once; re-driven once it can be read, it is applied once. */
    @Test
    void deadLettersARecordRefusedAsPoisonAndAppliesItOnceReDriven() throws Exception {
        String token = ConsumerTestApplication.ACTIVATION + UUID.randomUUID();
        EventEnvelope activated = activated(token);
        int attemptsBefore = listener.activationAttempts.get();
        listener.activationsRefused = true;
        try (TopicReader reader = new TopicReader(TestKafka.bootstrapServers(), DLT, r -> activated.key().equals(r.key()))) {
            producer.send(Topics.QUEUE_EVENTS, activated.key(), EventJson.write(activated)).get(10, TimeUnit.SECONDS);
            assertThat(reader.readUntil(rs -> !rs.isEmpty(), Duration.ofSeconds(60))).hasSize(1);
        } finally {
            listener.activationsRefused = false;
        }
        assertThat(listener.activationAttempts.get() - attemptsBefore).as("tries of a poison record").isEqualTo(1);
        assertThat(applied(token)).isZero();

        // What an operator sees first (/actuator/deadletters): the record waits, with the exception that sent it there.
        assertThat(redriver.counts(DLT).get("waiting")).isPositive();
        assertThat(redriver.waiting(DLT, 1000)).filteredOn(d -> activated.key().equals(d.key())).singleElement()
                .satisfies(d -> {
                    assertThat(d.exception()).isEqualTo(PoisonEventException.class.getName());
                    assertThat(d.value()).isEqualTo(EventJson.write(activated));
                });

        assertThat(redriver.redrive(DLT, Topics.QUEUE_EVENTS)).isGreaterThanOrEqualTo(1);
        await().atMost(Duration.ofSeconds(30)).until(() -> applied(token) == 1);
        // (Poison markers of other tests, re-driven with it, come back to the topic as poison: only this key is ours.)
        assertThat(redriver.waiting(DLT, 1000)).as("waiting after the re-drive")
                .noneMatch(d -> activated.key().equals(d.key()) && d.offset() >= 0 && d.value().equals(EventJson.write(activated)));
        // Re-driving again sends it no second time: the group's offsets moved past it.
        redriver.redrive(DLT, Topics.QUEUE_EVENTS);
        assertThat(applied(token)).isEqualTo(1);
    }

    /**
     * {@code POST /actuator/consumers {"running": false}}: the instance's consumers leave their group (it is empty, so
     * an operator may move its offsets), nothing is consumed meanwhile, and started again they take up where the
     * group's offsets are.
     */
    @Test
    void consumersStoppedByTheOperatorLeaveTheGroupAndStartedAgainConsumeWhatCameMeanwhile() throws Exception {
        assertThat(listeners(consumers.consumers())).isNotEmpty()
                .allSatisfy(l -> assertThat(l).containsEntry("running", true).containsEntry("group", ConsumerTestApplication.GROUP));
        String token = ConsumerTestApplication.ACTIVATION + UUID.randomUUID();
        EventEnvelope activated = activated(token);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers()))) {
            try {
                assertThat(listeners(consumers.running(false))).allSatisfy(l -> assertThat(l).containsEntry("running", false));
                var group = admin.describeConsumerGroups(List.of(ConsumerTestApplication.GROUP)).all()
                        .get(10, TimeUnit.SECONDS).get(ConsumerTestApplication.GROUP);
                assertThat(group.members()).as("members once stopped").isEmpty();

                var sent = producer.send(Topics.QUEUE_EVENTS, activated.key(), EventJson.write(activated))
                        .get(10, TimeUnit.SECONDS).getRecordMetadata();
                var partition = new org.apache.kafka.common.TopicPartition(sent.topic(), sent.partition());
                // No offset yet if the group never had a record of that partition: it starts at the earliest, 0 here.
                var committed = admin.listConsumerGroupOffsets(ConsumerTestApplication.GROUP).partitionsToOffsetAndMetadata()
                        .get(10, TimeUnit.SECONDS).getOrDefault(partition, new org.apache.kafka.clients.consumer.OffsetAndMetadata(0));
                // Moving offsets is refused for a group with members: this "move" (to where they are) is the operator's step.
                admin.alterConsumerGroupOffsets(ConsumerTestApplication.GROUP, Map.of(partition, committed)).all()
                        .get(10, TimeUnit.SECONDS);
                assertThat(committed.offset()).as("the group's offset stays before the record sent while stopped")
                        .isLessThanOrEqualTo(sent.offset());
                assertThat(applied(token)).isZero();
            } finally {
                consumers.running(true);
            }
        }
        assertThat(listeners(consumers.consumers())).allSatisfy(l -> assertThat(l).containsEntry("running", true));
        await().atMost(Duration.ofSeconds(60)).until(() -> applied(token) == 1);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> listeners(Map<String, Object> view) {
        return (List<Map<String, Object>>) view.get("consumers");
    }

    /**
     * Sends a poison record on {@code key} and reads the dead-letter topic for that key until it arrives: it must
     * be the only dead letter of that key, so nothing sent on the key before it was dead-lettered.
     */
    private static void assertNoDeadLetterOfKeyBeforeAPoisonMarker(String key) throws Exception {
        String marker = "poison marker " + UUID.randomUUID();
        producer.send(Topics.QUEUE_EVENTS, key, marker).get(10, TimeUnit.SECONDS);
        try (TopicReader reader = new TopicReader(TestKafka.bootstrapServers(), DLT, r -> key.equals(r.key()))) {
            List<ConsumerRecord<String, String>> dead = reader.readUntil(rs -> !rs.isEmpty(), Duration.ofSeconds(30));
            assertThat(dead).extracting(ConsumerRecord::value).containsExactly(marker);
        }
    }

    private static EventEnvelope activated(String token) {
        return EventEnvelope.of(new QueueTokenActivated(token, ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE / 2), 1500),
                UUID.randomUUID(), Instant.now());
    }

    @Test
    void createsTheDeadLetterTopicWithSixPartitions() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers()))) {
            var description = admin.describeTopics(List.of(DLT)).allTopicNames().get(10, TimeUnit.SECONDS).get(DLT);
            assertThat(description.partitions()).hasSize(Topics.PARTITIONS);
        }
    }

    private int applied(String tokenId) {
        List<Integer> rows = jdbc.queryForList("SELECT applied FROM token_seen WHERE token_id = ?", Integer.class, tokenId);
        return rows.isEmpty() ? 0 : rows.get(0);
    }

    private static String tokenOf(EventEnvelope envelope) {
        return ((QueueTokenIssued) envelope.payload()).tokenId();
    }

    private static EventEnvelope issued(String tokenId) {
        return issued(tokenId, ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE / 2));
    }

    private static EventEnvelope issued(String tokenId, long userId) {
        return EventEnvelope.of(new QueueTokenIssued(tokenId, userId, 1), UUID.randomUUID(), Instant.now());
    }

    private static ConsumerRecord<String, String> record(EventEnvelope envelope) {
        return new ConsumerRecord<>(Topics.QUEUE_EVENTS, 0, 0, envelope.key(), EventJson.write(envelope));
    }
}
