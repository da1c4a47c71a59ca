package dev.ticketing.messaging.outbox;

import dev.ticketing.events.BalanceCharged;
import dev.ticketing.events.EventHeaders;
import dev.ticketing.events.EventJson;
import dev.ticketing.events.Topics;
import dev.ticketing.testsupport.MutableClock;
import dev.ticketing.testsupport.TopicReader;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The outbox and its relay on a real MariaDB and a real Kafka broker. */
class OutboxRelayIntegrationTest {

    private static String bootstrap;
    private final Clock clock = Clock.systemUTC();
    private OutboxRig rig;

    @BeforeAll
    static void broker() {
        bootstrap = OutboxRig.sharedBroker();
    }

    @AfterEach
    void tearDown() {
        if (rig != null) {
            rig.close();
        }
    }

    @Test
    void leavesNoRowAndNoRecordWhenTheBusinessTransactionRollsBack() {
        rig = new OutboxRig("outbox_rollback");
        Outbox outbox = rig.outbox(clock);
        OutboxRelay relay = rig.relay(bootstrap, OutboxProperties.defaults(), clock, new SimpleMeterRegistry());
        relay.start();
        long user = OutboxRig.uniqueUserBase();

        assertThatThrownBy(() -> rig.tx.executeWithoutResult(s -> {
            rig.jdbc.update("INSERT INTO wallet (user_id, balance) VALUES (?, 500)", user);
            outbox.publish(new BalanceCharged(user, 1, 500, 500));
            throw new IllegalStateException("business rule failed after the event was recorded");
        })).isInstanceOf(IllegalStateException.class);
        assertThat(rig.rows()).isZero();

        // A committed event with the same key goes to the same partition, after anything before it.
        rig.charge(outbox, user, 2, 700);
        try (TopicReader reader = new TopicReader(bootstrap, Topics.PAYMENT_EVENTS, r -> r.key().equals(Long.toString(user)))) {
            List<ConsumerRecord<String, String>> records = reader.readUntil(
                    rs -> rs.stream().anyMatch(r -> OutboxRig.charged(r).chargeId() == 2), Duration.ofSeconds(30));
            assertThat(records).extracting(r -> OutboxRig.charged(r).chargeId()).containsExactly(2L);
        }
        assertThat(rig.jdbc.queryForObject("SELECT balance FROM wallet WHERE user_id = ?", Long.class, user)).isEqualTo(700);
    }

    @Test
    void refusesToRecordOutsideATransaction() {
        rig = new OutboxRig("outbox_no_tx");
        Outbox outbox = rig.outbox(clock);
        assertThatThrownBy(() -> outbox.publish(new BalanceCharged(1, 1, 1, 1)))
                .isInstanceOf(IllegalStateException.class);
        assertThat(rig.rows()).isZero();
    }

    @Test
    void publishesEnvelopeKeyAndHeadersOfTheContract() {
        rig = new OutboxRig("outbox_headers");
        Outbox outbox = rig.outbox(clock);
        rig.relay(bootstrap, OutboxProperties.defaults(), clock, new SimpleMeterRegistry()).start();
        long user = OutboxRig.uniqueUserBase();
        rig.charge(outbox, user, 77, 1000);

        try (TopicReader reader = new TopicReader(bootstrap, Topics.PAYMENT_EVENTS, r -> r.key().equals(Long.toString(user)))) {
            ConsumerRecord<String, String> record = reader.readUntil(rs -> !rs.isEmpty(), Duration.ofSeconds(30)).get(0);
            var envelope = EventJson.read(record.value());
            assertThat(envelope.payload()).isEqualTo(new BalanceCharged(user, 77, 1000, 1000));
            assertThat(envelope.aggregateType()).isEqualTo("Wallet");
            assertThat(TopicReader.header(record, EventHeaders.EVENT_ID)).isEqualTo(envelope.eventId().toString());
            assertThat(TopicReader.header(record, EventHeaders.EVENT_TYPE)).isEqualTo("BalanceCharged");
            assertThat(TopicReader.header(record, EventHeaders.SCHEMA_VERSION)).isEqualTo("1");
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> rig.unsent() == 0);
    }

    @Test
    void recordsABatchInItsOrderWithEachEventsOwnTrace() {
        rig = new OutboxRig("outbox_batch");
        Outbox outbox = rig.outbox(clock);
        rig.relay(bootstrap, OutboxProperties.defaults(), clock, new SimpleMeterRegistry()).start();
        long user = OutboxRig.uniqueUserBase();
        String first = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
        String third = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        rig.tx.executeWithoutResult(s -> outbox.publishAll(List.of(
                new Outbox.Traced(new BalanceCharged(user, 1, 100, 100), first),
                new Outbox.Traced(new BalanceCharged(user, 2, 100, 200), null),
                new Outbox.Traced(new BalanceCharged(user, 3, 100, 300), third))));

        assertThat(rig.jdbc.queryForList("SELECT traceparent FROM outbox_event ORDER BY id", String.class))
                .containsExactly(first, null, third);
        try (TopicReader reader = new TopicReader(bootstrap, Topics.PAYMENT_EVENTS, r -> r.key().equals(Long.toString(user)))) {
            List<ConsumerRecord<String, String>> records = reader.readUntil(rs -> rs.size() >= 3, Duration.ofSeconds(30));
            assertThat(records).extracting(r -> OutboxRig.charged(r).chargeId()).containsExactly(1L, 2L, 3L);
            assertThat(records).extracting(r -> TopicReader.header(r, EventHeaders.TRACEPARENT)).containsExactly(first, null, third);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> rig.unsent() == 0);
        assertThatThrownBy(() -> outbox.publishAll(List.of(new Outbox.Traced(new BalanceCharged(user, 4, 1, 1), null))))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void delivers2000EventsOver50AggregatesInPerAggregateOrder() throws Exception {
        rig = new OutboxRig("outbox_order");
        Outbox outbox = rig.outbox(clock);
        rig.relay(bootstrap, OutboxProperties.defaults(), clock, new SimpleMeterRegistry()).start();
        long base = OutboxRig.uniqueUserBase();
        int aggregates = 50;
        int perAggregate = 40;

        // Four writers commit concurrently; each owns some aggregates and interleaves them, so
        // the relay sees rows of many aggregates mixed in one batch.
        ExecutorService writers = Executors.newFixedThreadPool(4);
        List<Future<?>> done = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            int writer = w;
            done.add(writers.submit(() -> {
                for (int seq = 1; seq <= perAggregate; seq++) {
                    for (int a = writer; a < aggregates; a += 4) {
                        rig.charge(outbox, base + a, seq, 10);
                    }
                }
            }));
        }
        for (Future<?> f : done) {
            f.get(2, TimeUnit.MINUTES);
        }
        writers.shutdown();

        Map<String, List<Long>> seen = new HashMap<>();
        try (TopicReader reader = new TopicReader(bootstrap, Topics.PAYMENT_EVENTS,
                r -> OutboxRig.isChargeOfUsers(r, base, aggregates))) {
            List<ConsumerRecord<String, String>> records = reader.readUntil(
                    rs -> distinctEventIds(rs) >= aggregates * perAggregate, Duration.ofSeconds(60));
            for (ConsumerRecord<String, String> r : records) {
                seen.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(OutboxRig.charged(r).chargeId());
            }
            assertThat(distinctEventIds(records)).isEqualTo(aggregates * perAggregate);
        }
        assertThat(seen).hasSize(aggregates);
        List<Long> expected = new ArrayList<>();
        for (long i = 1; i <= perAggregate; i++) {
            expected.add(i);
        }
        seen.forEach((key, charges) ->
                assertThat(new ArrayList<>(new LinkedHashSet<>(charges))).as("charges of aggregate %s in Kafka order", key)
                        .isEqualTo(expected));
        assertThat(rig.unsent()).isZero();
    }

    @Test
    void publishesARowWhoseTransactionCommitsAfterTheRelayHasReadPastItsId() throws Exception {
        rig = new OutboxRig("outbox_late_commit");
        Outbox outbox = rig.outbox(clock);
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        OutboxRelay relay = pausedRelayInBatchesOf10(meters);
        relay.start();
        long late = OutboxRig.uniqueUserBase();
        long others = OutboxRig.uniqueUserBase();

        // A transaction takes its outbox id first and stays open while 2,000 later ids commit.
        OpenTransaction slow = OpenTransaction.recording(rig, outbox, new BalanceCharged(late, 1, 5, 5));
        for (int i = 0; i < 2000; i++) {
            rig.charge(outbox, others + i % 20, i + 1, 1);
        }

        // The relay reads in batches of 10 past the open transaction's id, then that transaction commits.
        relay.resume();
        await().atMost(Duration.ofSeconds(30)).until(() -> meters.get("outbox.published").counter().count() >= 500);
        slow.commit();

        try (TopicReader reader = new TopicReader(bootstrap, Topics.PAYMENT_EVENTS, r -> r.key().equals(Long.toString(late)))) {
            List<ConsumerRecord<String, String>> records = reader.readUntil(rs -> !rs.isEmpty(), Duration.ofSeconds(30));
            assertThat(records).extracting(r -> OutboxRig.charged(r).chargeId()).containsExactly(1L);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> rig.unsent() == 0);
        assertThat(rig.rows()).isEqualTo(2001);
    }

    /**
     * A row skipped while its transaction was open, then committed, is published before a later row of its key:
     * per-key commit order holds while the relay reads a backlog in full batches past the skipped id. (Before,
     * the later row went out first and the skipped one only when the relay next read from the first unsent row.)
     * The periodic read from the first unsent row is turned off here, so that it cannot put the order right by luck.
     */
    @Test
    void keepsCommitOrderPerKeyWhenASkippedRowCommitsBeforeALaterRowOfItsKey() throws Exception {
        rig = new OutboxRig("outbox_late_commit_order");
        Outbox outbox = rig.outbox(clock);
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        OutboxRelay relay = pausedRelayInBatchesOf10(meters);
        relay.rescanEvery(Duration.ofHours(1));
        relay.start();
        long late = OutboxRig.uniqueUserBase();
        long others = OutboxRig.uniqueUserBase();

        // The first charge of user `late` takes its outbox id and stays open while a backlog of 20,000 commits.
        OpenTransaction slow = OpenTransaction.recording(rig, outbox, new BalanceCharged(late, 1, 5, 5));
        for (int t = 0; t < 20; t++) {
            int first = t * 1000;
            rig.tx.executeWithoutResult(s -> {
                for (int i = first; i < first + 1000; i++) {
                    outbox.publish(new BalanceCharged(others + i % 20, i + 1, 1, i + 1));
                }
            });
        }

        // The relay reads past the open transaction's id in full batches of 10; with most of the backlog still to
        // go, that transaction commits, and then the user's second charge (a higher id, at the end of the backlog).
        relay.resume();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(10))
                .until(() -> meters.get("outbox.published").counter().count() >= 100);
        slow.commit();
        rig.charge(outbox, late, 2, 5);
        assertThat(meters.get("outbox.published").counter().count()).as("published when both had committed").isLessThan(15_000);

        try (TopicReader reader = new TopicReader(bootstrap, Topics.PAYMENT_EVENTS, r -> r.key().equals(Long.toString(late)))) {
            List<ConsumerRecord<String, String>> records = reader.readUntil(rs -> rs.size() >= 2, Duration.ofSeconds(60));
            assertThat(records).extracting(r -> OutboxRig.charged(r).chargeId()).as("the user's charges as published")
                    .containsExactly(1L, 2L);
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> rig.unsent() == 0);
        assertThat(rig.rows()).isEqualTo(20_002);
    }

    /** A relay reading batches of 10, paused until the test resumes it. */
    private OutboxRelay pausedRelayInBatchesOf10(SimpleMeterRegistry meters) {
        OutboxProperties d = OutboxProperties.defaults();
        return rig.relay(bootstrap, new OutboxProperties(true, d.pollInterval(), 10, d.leaseTtl(),
                d.retention(), d.purgeInterval(), true), clock, meters);
    }

    /** A transaction that has recorded one event (its outbox id taken) and stays open until {@link #commit}. */
    private record OpenTransaction(CountDownLatch release, Future<?> done, ExecutorService thread) {

        static OpenTransaction recording(OutboxRig rig, Outbox outbox, BalanceCharged event) throws InterruptedException {
            CountDownLatch recorded = new CountDownLatch(1);
            CountDownLatch commit = new CountDownLatch(1);
            ExecutorService thread = Executors.newSingleThreadExecutor();
            Future<?> done = thread.submit(() -> rig.tx.executeWithoutResult(s -> {
                outbox.publish(event);
                recorded.countDown();
                try {
                    assertThat(commit.await(120, TimeUnit.SECONDS)).isTrue();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }));
            assertThat(recorded.await(30, TimeUnit.SECONDS)).isTrue();
            return new OpenTransaction(commit, done, thread);
        }

        void commit() throws Exception {
            release.countDown();
            done.get(30, TimeUnit.SECONDS);
            thread.shutdown();
        }
    }

    @Test
    void letsOnlyTheLeaseHolderPublishAndHandsOverWhenItDies() {
        rig = new OutboxRig("outbox_takeover");
        Outbox outbox = rig.outbox(clock);
        OutboxProperties props = OutboxProperties.defaults().withLeaseTtl(Duration.ofSeconds(1));
        SimpleMeterRegistry metersA = new SimpleMeterRegistry();
        SimpleMeterRegistry metersB = new SimpleMeterRegistry();
        OutboxRelay a = rig.relay(bootstrap, props, clock, metersA);
        OutboxRelay b = rig.relay(bootstrap, props, clock, metersB);
        a.start();
        b.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> a.isLeader() || b.isLeader());
        assertThat(a.isLeader() && b.isLeader()).isFalse();
        OutboxRelay holder = a.isLeader() ? a : b;
        OutboxRelay other = holder == a ? b : a;
        SimpleMeterRegistry holderMeters = holder == a ? metersA : metersB;
        SimpleMeterRegistry otherMeters = holder == a ? metersB : metersA;

        long base = OutboxRig.uniqueUserBase();
        for (int i = 1; i <= 100; i++) {
            rig.charge(outbox, base + (i % 10), i, 1);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> rig.unsent() == 0);
        assertThat(published(holderMeters)).isEqualTo(100);
        assertThat(published(otherMeters)).isZero();
        assertThat(other.isLeader()).isFalse();

        holder.halt(); // dies without giving the lease back
        for (int i = 101; i <= 200; i++) {
            rig.charge(outbox, base + (i % 10), i, 1);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> rig.unsent() == 0);
        assertThat(other.isLeader()).isTrue();
        assertThat(published(otherMeters)).isGreaterThanOrEqualTo(100);

        try (TopicReader reader = new TopicReader(bootstrap, Topics.PAYMENT_EVENTS, r -> OutboxRig.isChargeOfUsers(r, base, 10))) {
            List<ConsumerRecord<String, String>> records = reader.readUntil(rs -> distinctEventIds(rs) >= 200, Duration.ofSeconds(30));
            Set<Long> charges = new HashSet<>();
            records.forEach(r -> charges.add(OutboxRig.charged(r).chargeId()));
            assertThat(charges).hasSize(200);
        }
    }

    @Test
    void purgesOnlySentRowsOlderThanTheRetention() {
        rig = new OutboxRig("outbox_purge");
        MutableClock testClock = new MutableClock(Instant.parse("2026-11-20T12:00:00Z"));
        Outbox outbox = rig.outbox(testClock);
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        OutboxRelay relay = rig.relay(bootstrap, OutboxProperties.defaults().withRetention(Duration.ofDays(1)), testClock, meters);
        long user = OutboxRig.uniqueUserBase();
        for (int i = 1; i <= 4; i++) {
            rig.charge(outbox, user, i, 1);
        }
        List<Long> ids = rig.jdbc.queryForList("SELECT id FROM outbox_event ORDER BY id", Long.class);
        Instant now = testClock.instant().plus(Duration.ofDays(3));
        testClock.set(now);
        markSent(ids.get(0), now.minus(Duration.ofDays(2)));   // sent long ago: purged
        markSent(ids.get(1), now.minus(Duration.ofHours(1)));  // sent recently: kept
        // ids 2 and 3 are unsent and three days old: kept whatever their age

        assertThat(meters.get("outbox.backlog").gauge().value()).isEqualTo(2);
        assertThat(meters.get("outbox.oldest.unsent.age").gauge().value()).isEqualTo(Duration.ofDays(3).toSeconds());

        assertThat(relay.purgeIfLeader()).as("the scheduled purge, on an instance that does not hold the lease").isZero();
        assertThat(relay.purge()).isEqualTo(1);
        assertThat(rig.jdbc.queryForList("SELECT id FROM outbox_event ORDER BY id", Long.class))
                .containsExactly(ids.get(1), ids.get(2), ids.get(3));
    }

    private void markSent(long id, Instant at) {
        rig.jdbc.update("UPDATE outbox_event SET sent_at = ? WHERE id = ?", OutboxStore.utc(at), id);
    }

    private static double published(SimpleMeterRegistry meters) {
        return meters.get("outbox.published").counter().count();
    }

    private static long distinctEventIds(List<ConsumerRecord<String, String>> records) {
        return records.stream().map(r -> TopicReader.header(r, EventHeaders.EVENT_ID)).distinct().count();
    }
}
