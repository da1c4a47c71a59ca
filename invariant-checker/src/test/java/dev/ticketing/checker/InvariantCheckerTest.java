package dev.ticketing.checker;

import com.zaxxer.hikari.HikariDataSource;
import dev.ticketing.testsupport.FreePorts;
import dev.ticketing.testsupport.TestDatabase;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The checker against the services' real tables, made by their own migrations on a real MariaDB:
 * a settled, consistent dataset passes, and each invariant broken on its own is reported alone,
 * naming its subject.
 */
class InvariantCheckerTest {

    private static final String TOKEN_1 = "00000000-0000-0000-0000-000000000001";
    private static final String TOKEN_2 = "00000000-0000-0000-0000-000000000002";
    private static final String TOKEN_3 = "00000000-0000-0000-0000-000000000003";
    private static final String TOKEN_4 = "00000000-0000-0000-0000-000000000004";
    private static final String AT = "'2030-01-01 10:00:00'";

    private static TestDatabase.Schema queueSchema;
    private static TestDatabase.Schema concertSchema;
    private static TestDatabase.Schema reservationSchema;
    private static TestDatabase.Schema paymentSchema;
    private static TestDatabase.Schema emptySchema;
    private static List<HikariDataSource> pools;
    private static JdbcTemplate queue;
    private static JdbcTemplate concert;
    private static JdbcTemplate reservation;
    private static JdbcTemplate payment;
    private static Schemas schemas;
    private static InvariantChecker checker;

    @BeforeAll
    static void migrateTheServicesSchemas() {
        TestDatabase database = TestDatabase.shared();
        queueSchema = migrated(database.newSchema("checker_queue"), "queue-service");
        concertSchema = migrated(database.newSchema("checker_concert"), "concert-service");
        reservationSchema = migrated(database.newSchema("checker_reservation"), "reservation-service");
        paymentSchema = migrated(database.newSchema("checker_payment"), "payment-service");
        emptySchema = database.newSchema("checker_empty");
        pools = List.of(queueSchema.dataSource(2), concertSchema.dataSource(2), reservationSchema.dataSource(2),
                paymentSchema.dataSource(2));
        queue = new JdbcTemplate(pools.get(0));
        concert = new JdbcTemplate(pools.get(1));
        reservation = new JdbcTemplate(pools.get(2));
        payment = new JdbcTemplate(pools.get(3));
        schemas = new Schemas(queueSchema.name(), concertSchema.name(), reservationSchema.name(), paymentSchema.name());
        // A URL naming a database and options of its own: the checker keeps them and reads all four schemas.
        checker = new InvariantChecker(queueSchema.jdbcUrl(), queueSchema.user(), queueSchema.password());
    }

    /** The service's migrations and common-messaging's, from the sources: the DDL is never copied. */
    private static TestDatabase.Schema migrated(TestDatabase.Schema schema, String module) {
        Flyway.configure().dataSource(schema.jdbcUrl(), schema.user(), schema.password())
                .locations("filesystem:../" + module + "/src/main/resources/db/migration").load().migrate();
        Flyway.configure().dataSource(schema.jdbcUrl(), schema.user(), schema.password())
                .table("messaging_schema_history").baselineOnMigrate(true).baselineVersion("0")
                .locations("filesystem:../common-messaging/src/main/resources/db/messaging").load().migrate();
        return schema;
    }

    @AfterAll
    static void closePools() {
        pools.forEach(HikariDataSource::close);
    }

    /**
     * A settled world: user 1 charged 50,000 and bought seats 1-2 (reservation 101, payment 501);
     * user 2's reservation 102 expired unpaid; user 3 paid for reservation 103, cancelled it and
     * was refunded; user 4 holds seat 7 (reservation 104, payment pending); user 5 has an empty wallet.
     */
    @BeforeEach
    void loadSettledConsistentDataset() {
        queue.update("DELETE FROM queue_token");
        queue.update("INSERT INTO queue_token (token_id, user_id, status, jwt, issued_at, expires_at, last_seen_at) VALUES "
                + "(?, 1, 'EXPIRED', 'jwt', " + AT + ", " + AT + ", " + AT + "), "
                + "(?, 2, 'EXPIRED', 'jwt', " + AT + ", " + AT + ", " + AT + "), "
                + "(?, 3, 'ACTIVE', 'jwt', " + AT + ", " + AT + ", " + AT + "), "
                + "(?, 4, 'ACTIVE', 'jwt', " + AT + ", " + AT + ", " + AT + ")", TOKEN_1, TOKEN_2, TOKEN_3, TOKEN_4);
        queue.update("DELETE FROM outbox_event");

        concert.update("DELETE FROM seat");
        concert.update("DELETE FROM schedule");
        concert.update("DELETE FROM concert");
        concert.update("INSERT INTO concert (concert_id, title, venue) VALUES (1, 'Night', 'Hall')");
        concert.update("INSERT INTO schedule (schedule_id, concert_id, starts_at, time_zone, seat_count) VALUES "
                + "(1, 1, " + AT + ", 'Asia/Seoul', 10)");
        for (int seatNo = 1; seatNo <= 10; seatNo++) {
            concert.update("INSERT INTO seat (schedule_id, seat_no, grade, price) VALUES (1, ?, 'R', 10000)", seatNo);
        }
        concert.update("UPDATE seat SET status = 'SOLD', reservation_id = 101 WHERE seat_no IN (1, 2)");
        concert.update("UPDATE seat SET status = 'HELD', reservation_id = 104 WHERE seat_no = 7");

        reservation.update("DELETE FROM reservation");
        reservation.update("INSERT INTO reservation (reservation_id, user_id, queue_token_id, live_token_id, concert_id, "
                        + "schedule_id, seat_nos, amount, status, created_at, expires_at, payment_id) VALUES "
                        + "(101, 1, ?, ?, 1, 1, '1,2', 20000, 'CONFIRMED', " + AT + ", " + AT + ", 501), "
                        + "(102, 2, ?, NULL, 1, 1, '3', 10000, 'EXPIRED', " + AT + ", " + AT + ", NULL), "
                        + "(103, 3, ?, NULL, 1, 1, '4,5', 20000, 'CANCELLED', " + AT + ", " + AT + ", NULL), "
                        + "(104, 4, ?, ?, 1, 1, '7', 10000, 'PENDING_PAYMENT', " + AT + ", " + AT + ", NULL)",
                TOKEN_1, TOKEN_1, TOKEN_2, TOKEN_3, TOKEN_4, TOKEN_4);
        reservation.update("DELETE FROM seat_hold");
        reservation.update("INSERT INTO seat_hold (schedule_id, seat_no, reservation_id, status, held_at) VALUES "
                + "(1, 1, 101, 'SOLD', " + AT + "), (1, 2, 101, 'SOLD', " + AT + "), (1, 7, 104, 'HELD', " + AT + ")");
        reservation.update("DELETE FROM outbox_event");
        // Information, not a breach: one event the relay has not sent yet.
        reservation.update("INSERT INTO outbox_event (event_id, topic, message_key, event_type, schema_version, "
                + "aggregate_type, aggregate_id, envelope, created_at) VALUES "
                + "('e0000000-0000-0000-0000-000000000001', 'reservation.events', '1', 'ReservationCreated', 1, "
                + "'Reservation', '104', '{}', " + AT + ")");

        payment.update("DELETE FROM wallet");
        payment.update("INSERT INTO wallet (user_id, balance, updated_at) VALUES "
                + "(1, 30000, " + AT + "), (3, 20000, " + AT + "), (5, 0, " + AT + ")");
        payment.update("DELETE FROM balance_charge");
        payment.update("INSERT INTO balance_charge (charge_id, user_id, amount, charged_at) VALUES "
                + "(1, 1, 50000, " + AT + "), (2, 3, 20000, " + AT + ")");
        payment.update("DELETE FROM balance_ledger");
        payment.update("INSERT INTO balance_ledger (entry_id, user_id, entry_type, amount, balance_after, reference, "
                + "occurred_at) VALUES "
                + "(1, 1, 'CHARGE', 50000, 50000, 1, " + AT + "), (2, 1, 'PAYMENT', -20000, 30000, 501, " + AT + "), "
                + "(3, 3, 'CHARGE', 20000, 20000, 2, " + AT + "), (4, 3, 'PAYMENT', -20000, 0, 503, " + AT + "), "
                + "(5, 3, 'REFUND', 20000, 20000, 503, " + AT + ")");
        payment.update("DELETE FROM payment");
        payment.update("INSERT INTO payment (payment_id, reservation_id, user_id, queue_token_id, amount, status, "
                        + "deadline, created_at) VALUES "
                        + "(501, 101, 1, ?, 20000, 'COMPLETED', " + AT + ", " + AT + "), "
                        + "(502, 102, 2, ?, 10000, 'EXPIRED', " + AT + ", " + AT + "), "
                        + "(503, 103, 3, ?, 20000, 'REFUNDED', " + AT + ", " + AT + "), "
                        + "(504, 104, 4, ?, 10000, 'PENDING', " + AT + ", " + AT + ")",
                TOKEN_1, TOKEN_2, TOKEN_3, TOKEN_4);
    }

    @Test
    void findsNoBreachInASettledConsistentDataset() {
        Report report = checker.check(schemas);

        assertThat(report.breaches()).isEmpty();
        assertThat(report.holds()).isTrue();
        assertThat(report.checked()).isEqualTo(new Report.Checked(3, 5, 2, 4, 4, 10, 3, 1));
        assertThat(report.unsentOutboxRows()).containsExactly(Map.entry(queueSchema.name(), 0L),
                Map.entry(concertSchema.name(), 0L), Map.entry(reservationSchema.name(), 1L),
                Map.entry(paymentSchema.name(), 0L));
        assertThat(report.notes()).isEmpty();
        assertThat(report.toString()).startsWith("All 7 invariants hold.").doesNotContain("BREACH");
    }

    @Test
    void reportsAWalletWhoseBalanceIsNotTheSumOfItsLedger() {
        payment.update("UPDATE wallet SET balance = 29000 WHERE user_id = 1");

        assertThat(onlyBreach(Invariant.WALLET_MATCHES_LEDGER, "user 1").detail())
                .isEqualTo("balance 29000 but ledger entries sum to 30000");
    }

    @Test
    void reportsLedgerEntriesOfAUserWithoutAWallet() {
        payment.update("DELETE FROM wallet WHERE user_id = 3");

        assertThat(onlyBreach(Invariant.WALLET_MATCHES_LEDGER, "user 3").detail()).contains("no wallet");
    }

    @Test
    void reportsAConfirmedReservationWhoseSeatTheCatalogueDoesNotShowAsSold() {
        concert.update("UPDATE seat SET status = 'AVAILABLE', reservation_id = NULL WHERE seat_no = 2");

        assertThat(onlyBreach(Invariant.CONFIRMED_RESERVATION_PAID_AND_SOLD, "reservation 101").detail())
                .isEqualTo("seat 2 is AVAILABLE in concert.seat");
    }

    @Test
    void reportsAConfirmedReservationWhoseAmountDiffersFromItsPayment() {
        reservation.update("UPDATE reservation SET amount = 25000 WHERE reservation_id = 101");

        assertThat(onlyBreach(Invariant.CONFIRMED_RESERVATION_PAID_AND_SOLD, "reservation 101").detail())
                .isEqualTo("amount 25000 but payment 501 is of 20000");
    }

    @Test
    void reportsASeatSoldInTheCatalogueToAnExpiredReservation() {
        concert.update("UPDATE seat SET status = 'SOLD', reservation_id = 102 WHERE seat_no = 3");

        assertThat(onlyBreach(Invariant.SEAT_TAKEN_BY_LIVE_RESERVATION, "concert.seat schedule 1 seat 3").detail())
                .isEqualTo("SOLD by reservation 102, which is EXPIRED");
    }

    @Test
    void reportsAHoldLeftBehindByACancelledReservation() {
        reservation.update("INSERT INTO seat_hold (schedule_id, seat_no, reservation_id, status, held_at) "
                + "VALUES (1, 4, 103, 'HELD', " + AT + ")");

        assertThat(onlyBreach(Invariant.SEAT_TAKEN_BY_LIVE_RESERVATION, "seat_hold schedule 1 seat 4").detail())
                .isEqualTo("HELD by reservation 103, which is CANCELLED");
    }

    @Test
    void reportsAPendingReservationWhoseSeatIsNotHeld() {
        reservation.update("DELETE FROM seat_hold WHERE seat_no = 7");

        assertThat(onlyBreach(Invariant.SEAT_TAKEN_BY_LIVE_RESERVATION, "reservation 104").detail())
                .isEqualTo("seat 7 has no seat_hold");
    }

    @Test
    void reportsAPaymentStillPendingForAnExpiredReservation() {
        payment.update("UPDATE payment SET status = 'PENDING' WHERE payment_id = 502");

        assertThat(onlyBreach(Invariant.PAYMENT_AGREES_WITH_RESERVATION, "payment 502").detail())
                .isEqualTo("still PENDING but its reservation 102 is EXPIRED");
    }

    @Test
    void reportsARefundedPaymentWithoutItsRefundEntry() {
        // The wallet follows the ledger, so only the payment's ledger is wrong.
        payment.update("DELETE FROM balance_ledger WHERE entry_id = 5");
        payment.update("UPDATE wallet SET balance = 0 WHERE user_id = 3");

        assertThat(onlyBreach(Invariant.LEDGER_MATCHES_PAYMENTS, "payment 503").detail())
                .isEqualTo("no REFUND ledger entry, expected one of 20000");
    }

    @Test
    void reportsAChargeWhoseLedgerEntryHasAnotherAmount() {
        payment.update("UPDATE balance_charge SET amount = 40000 WHERE charge_id = 1");

        assertThat(onlyBreach(Invariant.LEDGER_MATCHES_CHARGES, "charge 1").detail())
                .isEqualTo("CHARGE entry 1 is of 50000, expected 40000");
    }

    @Test
    void reportsAPaidQueueTokenThatIsStillActive() {
        queue.update("UPDATE queue_token SET status = 'ACTIVE' WHERE token_id = ?", TOKEN_1);

        assertThat(onlyBreach(Invariant.PAID_TOKEN_EXPIRED, "queue token " + TOKEN_1).detail())
                .isEqualTo("ACTIVE but payment 501 completed reservation 101");
    }

    @Test
    void skipsTheTokenInvariantWithANoteWhenTheQueueSchemaHasNoTokenTable() {
        queue.update("UPDATE queue_token SET status = 'ACTIVE' WHERE token_id = ?", TOKEN_1);

        Report report = checker.check(new Schemas(emptySchema.name(), schemas.concert(), schemas.reservation(),
                schemas.payment()));

        assertThat(report.holds()).isTrue();
        assertThat(report.notes()).containsExactly("PAID_TOKEN_EXPIRED skipped: no table " + emptySchema.name()
                + ".queue_token");
        assertThat(report.unsentOutboxRows()).doesNotContainKey(emptySchema.name());
    }

    @Test
    void refusesToJudgeWhenARequiredSchemaIsMissing() {
        Schemas noPayments = new Schemas(schemas.queue(), schemas.concert(), schemas.reservation(), emptySchema.name());

        assertThatThrownBy(() -> checker.check(noPayments)).isInstanceOf(CannotCheckException.class)
                .hasMessageContaining("schema '" + emptySchema.name() + "' is missing or has no tables");
    }

    @Test
    void mainExitsZeroWhenAllHoldOneOnABreachAndTwoWhenNothingListens() throws Exception {
        String serverUrl = queueSchema.jdbcUrl().substring(0, queueSchema.jdbcUrl().indexOf("/" + queueSchema.name()));
        Map<String, String> env = Map.of("CHECK_DB_URL", serverUrl, "CHECK_DB_USER", queueSchema.user(),
                "CHECK_DB_PASSWORD", queueSchema.password(), "CHECK_SCHEMAS", schemas.toString());

        Run holds = Run.of(new String[0], env);
        assertThat(holds.exitCode()).isEqualTo(0);
        assertThat(holds.out()).contains("All 7 invariants hold.", "Outbox rows not yet sent: ");

        payment.update("UPDATE wallet SET balance = 29000 WHERE user_id = 1");
        Run breached = Run.of(new String[0], env);
        assertThat(breached.exitCode()).isEqualTo(1);
        assertThat(breached.out()).contains("1 breach: 1 of 7 invariants breached.",
                "BREACH WALLET_MATCHES_LEDGER user 1: balance 29000 but ledger entries sum to 30000");

        int closedPort = FreePorts.next();
        Run unreachable = Run.of(new String[] {"--url=jdbc:mysql://127.0.0.1:" + closedPort}, env);
        assertThat(unreachable.exitCode()).isEqualTo(2);
        assertThat(unreachable.err()).startsWith("Cannot check: ");

        assertThat(Run.of(new String[] {"--schemas=orders=x"}, env).exitCode()).isEqualTo(2);
    }

    @Test
    void addsTheDefaultConnectionOptionsTheUrlDoesNotSet() {
        assertThat(InvariantChecker.connectionUrl("jdbc:mysql://db:3306/")).isEqualTo("jdbc:mysql://db:3306/?"
                + "sslMode=DISABLED&allowPublicKeyRetrieval=true&connectionTimeZone=UTC"
                + "&forceConnectionTimeZoneToSession=true&connectTimeout=5000");
        assertThat(InvariantChecker.connectionUrl("jdbc:mysql://db:3306/queue?useSSL=true&connectTimeout=100"))
                .isEqualTo("jdbc:mysql://db:3306/queue?useSSL=true&connectTimeout=100&allowPublicKeyRetrieval=true"
                        + "&connectionTimeZone=UTC&forceConnectionTimeZoneToSession=true");
    }

    private static Breach onlyBreach(Invariant invariant, String subject) {
        Report report = checker.check(schemas);
        assertThat(report.breaches()).as(report.toString()).hasSize(1);
        Breach breach = report.breaches().get(0);
        assertThat(breach.invariant()).isEqualTo(invariant);
        assertThat(breach.subject()).isEqualTo(subject);
        assertThat(report.holds()).isFalse();
        return breach;
    }

    private record Run(int exitCode, String out, String err) {

        static Run of(String[] args, Map<String, String> env) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int exitCode = CheckerMain.run(args, env, new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8));
            return new Run(exitCode, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        }
    }
}
