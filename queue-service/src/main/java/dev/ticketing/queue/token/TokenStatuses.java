package dev.ticketing.queue.token;

import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Token statuses read straight from the columns, for the gateway's batched lookups: one indexed
 * query and no entities, since a burst of admitted clients asks for hundreds at a time and nothing
 * here is changed.
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
                    TokenStatus stored = TokenStatus.valueOf(rs.getString("status"));
                    Instant activeUntil = instant(rs.getObject("active_until", LocalDateTime.class));
                    Instant endedAt = instant(rs.getObject("ended_at", LocalDateTime.class));
                    return new Status(rs.getString("token_id"), rs.getLong("user_id"),
                            QueueToken.statusAt(stored, activeUntil, now),
                            QueueToken.activeUntilAt(stored, activeUntil, endedAt, now));
                });
    }

    private static Instant instant(LocalDateTime utc) {
        return utc == null ? null : utc.toInstant(ZoneOffset.UTC);
    }

    public record Status(String tokenId, long userId, TokenStatus status, Instant activeUntil) {
    }
}
