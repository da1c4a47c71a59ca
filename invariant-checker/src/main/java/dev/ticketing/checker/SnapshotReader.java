package dev.ticketing.checker;

import dev.ticketing.checker.Snapshot.Charge;
import dev.ticketing.checker.Snapshot.LedgerEntry;
import dev.ticketing.checker.Snapshot.Payment;
import dev.ticketing.checker.Snapshot.Reservation;
import dev.ticketing.checker.Snapshot.Seat;
import dev.ticketing.checker.Snapshot.SeatHold;
import dev.ticketing.checker.Snapshot.SeatKey;
import dev.ticketing.checker.Snapshot.Wallet;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads each schema with queries of its own, never a join across schemas: in production the
 * schemas may live on different servers. All reads share one read-only transaction, so on a
 * single server they see one consistent moment even while the services still run.
 */
final class SnapshotReader {

    private static final int LOOKUP_BATCH = 500;

    private final Connection connection;
    private final Schemas schemas;

    SnapshotReader(Connection connection, Schemas schemas) {
        this.connection = connection;
        this.schemas = schemas;
    }

    Snapshot read() throws SQLException {
        Map<String, Set<String>> tables = new LinkedHashMap<>();
        for (String schema : List.of(schemas.queue(), schemas.concert(), schemas.reservation(), schemas.payment())) {
            tables.put(schema, tablesOf(schema));
        }
        require(tables, schemas.payment(), "wallet", "balance_charge", "balance_ledger", "payment");
        require(tables, schemas.reservation(), "reservation", "seat_hold");
        require(tables, schemas.concert(), "seat");

        String pay = quoted(schemas.payment());
        List<Wallet> wallets = list("SELECT user_id, balance FROM " + pay + ".wallet ORDER BY user_id",
                rs -> new Wallet(rs.getLong(1), rs.getLong(2)));
        List<LedgerEntry> ledger = list("SELECT entry_id, user_id, entry_type, amount, reference FROM " + pay
                        + ".balance_ledger ORDER BY entry_id",
                rs -> new LedgerEntry(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getLong(4), rs.getLong(5)));
        List<Charge> charges = list("SELECT charge_id, user_id, amount FROM " + pay + ".balance_charge ORDER BY charge_id",
                rs -> new Charge(rs.getLong(1), rs.getLong(2), rs.getLong(3)));
        List<Payment> payments = list("SELECT payment_id, reservation_id, user_id, queue_token_id, amount, status FROM "
                        + pay + ".payment ORDER BY payment_id",
                rs -> new Payment(rs.getLong(1), rs.getLong(2), rs.getLong(3), trimmed(rs.getString(4)), rs.getLong(5),
                        rs.getString(6)));

        String res = quoted(schemas.reservation());
        List<Reservation> reservations = list("SELECT reservation_id, user_id, queue_token_id, schedule_id, seat_nos, "
                        + "amount, status, payment_id FROM " + res + ".reservation ORDER BY reservation_id",
                rs -> new Reservation(rs.getLong(1), rs.getLong(2), trimmed(rs.getString(3)), rs.getLong(4),
                        rs.getString(5), seatNos(rs.getString(5)), rs.getLong(6), rs.getString(7),
                        rs.getObject(8, Long.class)));
        List<SeatHold> holds = list("SELECT schedule_id, seat_no, reservation_id, status FROM " + res
                        + ".seat_hold ORDER BY schedule_id, seat_no",
                rs -> new SeatHold(new SeatKey(rs.getLong(1), rs.getInt(2)), rs.getLong(3), rs.getString(4)));

        List<Seat> seats = list("SELECT schedule_id, seat_no, status, reservation_id FROM " + quoted(schemas.concert())
                        + ".seat ORDER BY schedule_id, seat_no",
                rs -> new Seat(new SeatKey(rs.getLong(1), rs.getInt(2)), rs.getString(3), rs.getObject(4, Long.class)));

        Optional<Map<String, String>> tokenStatuses = tables.get(schemas.queue()).contains("queue_token")
                ? Optional.of(tokenStatuses(payments))
                : Optional.empty();

        Map<String, Long> unsent = new LinkedHashMap<>();
        for (Map.Entry<String, Set<String>> schema : tables.entrySet()) {
            if (schema.getValue().contains("outbox_event") && !unsent.containsKey(schema.getKey())) {
                unsent.put(schema.getKey(), single("SELECT COUNT(*) FROM " + quoted(schema.getKey())
                        + ".outbox_event WHERE sent_at IS NULL"));
            }
        }
        return new Snapshot(wallets, ledger, charges, payments, reservations, seats, holds, tokenStatuses, unsent);
    }

    /** Statuses of the tokens COMPLETED payments name, looked up in batches: the queue may hold millions. */
    private Map<String, String> tokenStatuses(List<Payment> payments) throws SQLException {
        List<String> ids = payments.stream().filter(p -> "COMPLETED".equals(p.status()))
                .map(Payment::queueTokenId).distinct().toList();
        Map<String, String> statuses = new LinkedHashMap<>();
        for (int from = 0; from < ids.size(); from += LOOKUP_BATCH) {
            List<String> batch = ids.subList(from, Math.min(ids.size(), from + LOOKUP_BATCH));
            String sql = "SELECT token_id, status FROM " + quoted(schemas.queue()) + ".queue_token WHERE token_id IN ("
                    + String.join(",", Collections.nCopies(batch.size(), "?")) + ")";
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                for (int i = 0; i < batch.size(); i++) {
                    statement.setString(i + 1, batch.get(i));
                }
                try (ResultSet rs = statement.executeQuery()) {
                    while (rs.next()) {
                        statuses.put(trimmed(rs.getString(1)), rs.getString(2));
                    }
                }
            }
        }
        return statuses;
    }

    private Set<String> tablesOf(String schema) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = ?")) {
            statement.setString(1, schema);
            Set<String> names = new HashSet<>();
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    names.add(rs.getString(1).toLowerCase(Locale.ROOT));
                }
            }
            return names;
        }
    }

    private static void require(Map<String, Set<String>> tables, String schema, String... names) {
        if (tables.get(schema).isEmpty()) {
            throw new CannotCheckException("schema '" + schema + "' is missing or has no tables");
        }
        for (String name : names) {
            if (!tables.get(schema).contains(name)) {
                throw new CannotCheckException("table " + schema + "." + name + " is missing");
            }
        }
    }

    /** "3,10" as [3, 10]; anything else as an empty list, which the rules report. */
    static List<Integer> seatNos(String column) {
        List<Integer> seatNos = new ArrayList<>();
        try {
            for (String part : column.split(",")) {
                seatNos.add(Integer.parseInt(part.trim()));
            }
        } catch (NumberFormatException e) {
            return List.of();
        }
        return List.copyOf(seatNos);
    }

    private static String quoted(String schema) {
        // Schemas accepts only [A-Za-z0-9_$] names, so quoting cannot be escaped from.
        return "`" + schema + "`";
    }

    private static String trimmed(String value) {
        return value == null ? null : value.trim();
    }

    private long single(String sql) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql); ResultSet rs = statement.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private <T> List<T> list(String sql, Row<T> row) throws SQLException {
        List<T> rows = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(sql); ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
                rows.add(row.map(rs));
            }
        }
        return rows;
    }

    @FunctionalInterface
    private interface Row<T> {
        T map(ResultSet rs) throws SQLException;
    }
}
