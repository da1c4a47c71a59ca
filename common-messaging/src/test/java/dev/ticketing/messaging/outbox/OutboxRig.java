package dev.ticketing.messaging.outbox;

import com.zaxxer.hikari.HikariDataSource;
import dev.ticketing.events.BalanceCharged;
import dev.ticketing.events.EventJson;
import dev.ticketing.events.Topics;
import dev.ticketing.messaging.schema.MessagingSchema;
import dev.ticketing.testsupport.TestDatabase;
import dev.ticketing.testsupport.TestKafka;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The outbox wired by hand on a fresh schema of the shared test database: a business table, the
 * messaging tables, a transaction template, and relays that can be started against any broker.
 */
final class OutboxRig implements AutoCloseable {

    final HikariDataSource dataSource;
    final JdbcTemplate jdbc;
    final TransactionTemplate tx;
    final List<OutboxRelay> relays = new ArrayList<>();
    final List<KafkaTemplate<String, String>> templates = new ArrayList<>();
    private volatile OutboxRelay wakeTarget;

    OutboxRig(String name) {
        this(TestDatabase.shared().newSchema(name).dataSource(10));
    }

    /** On a database of the caller's choosing (a Testcontainers MySQL, say). */
    OutboxRig(HikariDataSource dataSource) {
        this.dataSource = dataSource;
        MessagingSchema.migrate(dataSource);
        jdbc = new JdbcTemplate(dataSource);
        jdbc.execute("CREATE TABLE wallet (user_id BIGINT PRIMARY KEY, balance BIGINT NOT NULL)");
        tx = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
    }

    static String sharedBroker() {
        String bootstrap = TestKafka.bootstrapServers();
        TestKafka.createTopics(bootstrap, Topics.PARTITIONS, Topics.ALL);
        return bootstrap;
    }

    Outbox outbox(Clock clock) {
        return new Outbox(jdbc, clock, () -> {
            OutboxRelay relay = wakeTarget;
            if (relay != null) {
                relay.wake();
            }
        }, () -> null);
    }

    OutboxRelay relay(String bootstrap, OutboxProperties props, Clock clock, SimpleMeterRegistry meters) {
        return relay(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), props, clock, meters);
    }

    OutboxRelay relay(Map<String, Object> producerConfig, OutboxProperties props, Clock clock, SimpleMeterRegistry meters) {
        KafkaTemplate<String, String> template = ReliableProducer.template(producerConfig);
        templates.add(template);
        OutboxRelay relay = new OutboxRelay(jdbc, template, props, clock, meters);
        relays.add(relay);
        wakeTarget = relay;
        return relay;
    }

    /** A charge in one transaction: the business change, then its event last. */
    void charge(Outbox outbox, long userId, long chargeId, long amount) {
        tx.executeWithoutResult(s -> {
            jdbc.update("INSERT INTO wallet (user_id, balance) VALUES (?, ?) ON DUPLICATE KEY UPDATE balance = balance + ?",
                    userId, amount, amount);
            long balance = jdbc.queryForObject("SELECT balance FROM wallet WHERE user_id = ?", Long.class, userId);
            outbox.publish(new BalanceCharged(userId, chargeId, amount, balance));
        });
    }

    long unsent() {
        return jdbc.queryForObject("SELECT COUNT(*) FROM outbox_event WHERE sent_at IS NULL", Long.class);
    }

    long rows() {
        return jdbc.queryForObject("SELECT COUNT(*) FROM outbox_event", Long.class);
    }

    /** User ids no other test uses, so records on the shared topics can be told apart. */
    static long uniqueUserBase() {
        return ThreadLocalRandom.current().nextLong(1_000_000L, 1_000_000_000_000L) * 1000;
    }

    static BalanceCharged charged(ConsumerRecord<String, String> record) {
        return (BalanceCharged) EventJson.read(record.value()).payload();
    }

    static boolean isChargeOfUsers(ConsumerRecord<String, String> record, long base, int users) {
        try {
            long key = Long.parseLong(record.key());
            return key >= base && key < base + users && record.value().contains("\"BalanceCharged\"");
        } catch (NumberFormatException e) {
            return false;
        }
    }

    @Override
    public void close() {
        relays.forEach(r -> {
            if (r.isRunning()) {
                r.stop();
            }
        });
        templates.forEach(t -> t.getProducerFactory().reset());
        dataSource.close();
    }
}
