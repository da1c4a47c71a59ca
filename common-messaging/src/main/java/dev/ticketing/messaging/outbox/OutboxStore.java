package dev.ticketing.messaging.outbox;

import org.springframework.jdbc.core.JdbcTemplate;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.Collections;
import java.util.List;

/** SQL of the outbox table. Times are stored as UTC {@code DATETIME(6)}. */
final class OutboxStore {

    private final JdbcTemplate jdbc;

    OutboxStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    private static final String INSERT = """
            INSERT INTO outbox_event (event_id, topic, message_key, event_type, schema_version,
                                      aggregate_type, aggregate_id, envelope, traceparent, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""";

    void insert(OutboxRow row) {
        jdbc.update(INSERT, values(row));
    }

    /**
     * Inserts the rows in the given order, in one batch: one multi-row statement with the driver's
     * {@code rewriteBatchedStatements}, so their ids follow that order.
     */
    void insertAll(List<OutboxRow> rows) {
        jdbc.batchUpdate(INSERT, rows.stream().map(OutboxStore::values).toList());
    }

    private static Object[] values(OutboxRow row) {
        return new Object[] {row.eventId(), row.topic(), row.key(), row.eventType(), row.schemaVersion(),
                row.aggregateType(), row.aggregateId(), row.envelope(), row.traceparent(), utc(row.createdAt())};
    }

    /** Unsent rows with an id above {@code afterId}, in id order: the order their transactions inserted them. */
    List<OutboxRow> fetchUnsentAfter(long afterId, int limit) {
        return jdbc.query("""
                SELECT id, event_id, topic, message_key, event_type, schema_version, aggregate_type,
                       aggregate_id, envelope, traceparent, created_at
                FROM outbox_event WHERE sent_at IS NULL AND id > ? ORDER BY id LIMIT ?""", OutboxStore::row, afterId, limit);
    }

    /** Whether an unsent row has an id below {@code belowId} or among {@code ids} (the index on sent_at, id serves it). */
    boolean anyUnsentBelowOrAmong(long belowId, Collection<Long> ids) {
        Boolean below = jdbc.queryForObject(
                "SELECT EXISTS (SELECT 1 FROM outbox_event WHERE sent_at IS NULL AND id < ?)", Boolean.class, belowId);
        if (Boolean.TRUE.equals(below) || ids.isEmpty()) {
            return Boolean.TRUE.equals(below);
        }
        String marks = String.join(",", Collections.nCopies(ids.size(), "?"));
        return Boolean.TRUE.equals(jdbc.queryForObject(
                "SELECT EXISTS (SELECT 1 FROM outbox_event WHERE sent_at IS NULL AND id IN (" + marks + "))",
                Boolean.class, ids.toArray()));
    }

    int markSent(List<Long> ids, Instant sentAt) {
        if (ids.isEmpty()) {
            return 0;
        }
        String marks = String.join(",", Collections.nCopies(ids.size(), "?"));
        Object[] args = new Object[ids.size() + 1];
        args[0] = utc(sentAt);
        for (int i = 0; i < ids.size(); i++) {
            args[i + 1] = ids.get(i);
        }
        return jdbc.update("UPDATE outbox_event SET sent_at = ? WHERE id IN (" + marks + ")", args);
    }

    Backlog backlog() {
        return jdbc.queryForObject("SELECT COUNT(*), MIN(created_at) FROM outbox_event WHERE sent_at IS NULL",
                (rs, n) -> new Backlog(rs.getLong(1), instant(rs, 2)));
    }

    /** Deletes at most {@code limit} rows sent before {@code cutoff}; returns how many. */
    int purgeSentBefore(Instant cutoff, int limit) {
        return jdbc.update("DELETE FROM outbox_event WHERE sent_at IS NOT NULL AND sent_at < ? ORDER BY sent_at LIMIT ?",
                utc(cutoff), limit);
    }

    record Backlog(long size, Instant oldestCreatedAt) {
    }

    private static OutboxRow row(ResultSet rs, int n) throws SQLException {
        return new OutboxRow(rs.getLong("id"), rs.getString("event_id"), rs.getString("topic"),
                rs.getString("message_key"), rs.getString("event_type"), rs.getInt("schema_version"),
                rs.getString("aggregate_type"), rs.getString("aggregate_id"), rs.getString("envelope"),
                rs.getString("traceparent"), instant(rs, "created_at"));
    }

    static LocalDateTime utc(Instant instant) {
        return LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        LocalDateTime value = rs.getObject(column, LocalDateTime.class);
        return value == null ? null : value.toInstant(ZoneOffset.UTC);
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        LocalDateTime value = rs.getObject(column, LocalDateTime.class);
        return value == null ? null : value.toInstant(ZoneOffset.UTC);
    }
}
