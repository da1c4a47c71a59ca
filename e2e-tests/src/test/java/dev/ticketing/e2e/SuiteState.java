package dev.ticketing.e2e;

import dev.ticketing.checker.InvariantChecker;
import dev.ticketing.checker.Report;
import dev.ticketing.checker.Schemas;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The state of every service, read from their schemas as a test tool may (services never do): a
 * text rendering of what the saga decides, to compare before and after a redelivery.
 */
final class SuiteState {

    private static final List<String> SCHEMAS = List.of("queue", "concert", "reservation", "payment");

    private static final Map<String, String> DECISIONS = new LinkedHashMap<>();

    static {
        DECISIONS.put("queue", "SELECT token_id, status, expiry_reason FROM queue_token ORDER BY sequence");
        DECISIONS.put("concert", "SELECT schedule_id, seat_no, status, reservation_id FROM seat ORDER BY schedule_id, seat_no");
        DECISIONS.put("reservation", "SELECT reservation_id, status, payment_id FROM reservation ORDER BY reservation_id; "
                + "SELECT schedule_id, seat_no, reservation_id, status FROM seat_hold ORDER BY schedule_id, seat_no");
        DECISIONS.put("payment", "SELECT payment_id, reservation_id, status, balance_after FROM payment ORDER BY payment_id; "
                + "SELECT user_id, balance FROM wallet ORDER BY user_id; "
                + "SELECT entry_id, user_id, entry_type, amount, reference FROM balance_ledger ORDER BY entry_id");
    }

    private SuiteState() {
    }

    static String read(Stack.Database db) throws SQLException {
        StringBuilder out = new StringBuilder();
        for (var schema : DECISIONS.entrySet()) {
            try (Connection c = connect(db, schema.getKey()); Statement st = c.createStatement()) {
                for (String query : schema.getValue().split("; ")) {
                    out.append("# ").append(schema.getKey()).append(": ").append(query).append('\n');
                    try (ResultSet rs = st.executeQuery(query)) {
                        ResultSetMetaData meta = rs.getMetaData();
                        while (rs.next()) {
                            for (int i = 1; i <= meta.getColumnCount(); i++) {
                                out.append(rs.getString(i)).append(i < meta.getColumnCount() ? "," : "\n");
                            }
                        }
                    }
                }
            }
        }
        return out.toString();
    }

    /** Outbox rows per publishing schema: a redelivered event must not make a service publish again. */
    static Map<String, Long> outboxCounts(Stack.Database db) throws SQLException {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String schema : List.of("queue", "reservation", "payment")) {
            counts.put(schema, single(db, schema, "SELECT COUNT(*) FROM outbox_event"));
        }
        return counts;
    }

    static long unsentOutboxRows(Stack.Database db) throws SQLException {
        long unsent = 0;
        for (String schema : List.of("queue", "reservation", "payment")) {
            unsent += single(db, schema, "SELECT COUNT(*) FROM outbox_event WHERE sent_at IS NULL");
        }
        return unsent;
    }

    /** Reservations still waiting for their payment or their expiry: the saga has not settled while there are any. */
    static long pendingReservations(Stack.Database db) throws SQLException {
        return single(db, "reservation", "SELECT COUNT(*) FROM reservation WHERE status = 'PENDING_PAYMENT'");
    }

    /** The invariant checker over every schema: no breach once the saga has settled. */
    static void assertInvariantsHold(Stack.Database db) {
        Report report = new InvariantChecker(db.baseUrl(), db.user(), db.password()).check(Schemas.DEFAULT);
        assertThat(report.holds()).as(report.toString()).isTrue();
        assertThat(report.checked().users()).as("something was checked: %s", report.summary()).isPositive();
    }

    private static long single(Stack.Database db, String schema, String query) throws SQLException {
        try (Connection c = connect(db, schema); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static Connection connect(Stack.Database db, String schema) throws SQLException {
        if (!SCHEMAS.contains(schema)) {
            throw new IllegalArgumentException(schema);
        }
        return DriverManager.getConnection(db.baseUrl() + "/" + schema
                + "?sslMode=DISABLED&allowPublicKeyRetrieval=true&connectionTimeZone=UTC", db.user(), db.password());
    }
}
