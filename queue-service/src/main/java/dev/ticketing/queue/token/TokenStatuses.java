package dev.ticketing.queue.token;

import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Token statuses read straight from the columns, for the two hottest reads: the gateway's batched
 * lookups (a burst of admitted clients asks for hundreds at a time) and status polls (every waiting
 * client, every few seconds). One indexed query each, no entities and no transaction: nothing here
 * is changed but a poll's last-seen time, which is one conditional statement.
 */
@Repository
public class TokenStatuses {

    private final NamedParameterJdbcTemplate jdbc;

    TokenStatuses(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** The known tokens among {@code tokenIds}, as of {@code now}. */
    public List<Status> find(Collection<String> tokenIds, Instant now) {
        return jdbc.query("SELECT token_id, user_id, status, active_until, ended_at FROM queue_token WHERE token_id IN (:ids)",
                Map.of("ids", tokenIds), (rs, i) -> {
                    AsOf asOf = AsOf.read(rs, now);
                    return new Status(rs.getString("token_id"), rs.getLong("user_id"), asOf.status(), asOf.activeUntil());
                });
    }

    /** The known tokens among {@code tokenIds} as a poll at {@code now} would see them, by token id. */
    public Map<String, Polled> forPolls(Collection<String> tokenIds, Instant now) {
        Map<String, Polled> found = new HashMap<>();
        jdbc.query("SELECT token_id, sequence, user_id, jwt, status, active_until, ended_at, last_seen_at FROM queue_token WHERE token_id IN (:ids)",
                Map.of("ids", tokenIds), rs -> {
                    found.put(rs.getString("token_id"), polled(rs, now));
                });
        return found;
    }

    private static Polled polled(ResultSet rs, Instant now) throws SQLException {
        AsOf asOf = AsOf.read(rs, now);
        return new Polled(rs.getLong("sequence"), rs.getLong("user_id"), rs.getString("jwt"),
                asOf.status(), asOf.activeUntil(), instant(rs.getObject("last_seen_at", LocalDateTime.class)));
    }

    /**
     * The known tokens among {@code tokenIds} as polls at {@code now} see them, by token id, each
     * recorded as polled ({@link #markSeen}) where due.
     */
    public Map<String, Polled> poll(Collection<String> tokenIds, Instant now, Duration lastSeenInterval) {
        Map<String, Polled> found = forPolls(tokenIds, now);
        List<Long> due = found.values().stream()
                .filter(token -> token.needsLastSeenUpdate(now, lastSeenInterval))
                .map(Polled::sequence)
                .toList();
        if (!due.isEmpty()) {
            markSeen(due, now, lastSeenInterval);
        }
        return found;
    }

    /**
     * Records that the holders of these waiting tokens polled at {@code now}, except where that was
     * recorded less than {@code interval} ago (by the poll's read, or by a concurrent poll on any
     * instance). One statement for all of them.
     */
    public void markSeen(Collection<Long> sequences, Instant now, Duration interval) {
        jdbc.update("UPDATE queue_token SET last_seen_at = :now WHERE sequence IN (:sequences) AND status = 'WAITING' AND last_seen_at <= :due",
                Map.of("now", LocalDateTime.ofInstant(now, ZoneOffset.UTC), "sequences", sequences,
                        "due", LocalDateTime.ofInstant(now.minus(interval), ZoneOffset.UTC)));
    }

    /** A row's status and activeUntil as of {@code now}, by {@link QueueToken}'s rules for stored columns. */
    private record AsOf(TokenStatus status, Instant activeUntil) {

        static AsOf read(ResultSet row, Instant now) throws SQLException {
            TokenStatus stored = TokenStatus.valueOf(row.getString("status"));
            Instant activeUntil = instant(row.getObject("active_until", LocalDateTime.class));
            Instant endedAt = instant(row.getObject("ended_at", LocalDateTime.class));
            return new AsOf(QueueToken.statusAt(stored, activeUntil, now),
                    QueueToken.activeUntilAt(stored, activeUntil, endedAt, now));
        }
    }

    private static Instant instant(LocalDateTime utc) {
        return utc == null ? null : utc.toInstant(ZoneOffset.UTC);
    }

    public record Status(String tokenId, long userId, TokenStatus status, Instant activeUntil) {
    }

    /** What a status poll needs: the status and activeUntil as of the poll, and when it was last seen. */
    public record Polled(long sequence, long userId, String jwt, TokenStatus status, Instant activeUntil, Instant lastSeenAt) {

        /**
         * Whether this poll should record that the holder is still there: only while waiting, and at
         * most once per {@code interval}, so polling is not a write per poll.
         */
        public boolean needsLastSeenUpdate(Instant now, Duration interval) {
            return status == TokenStatus.WAITING && !lastSeenAt.plus(interval).isAfter(now);
        }
    }
}
