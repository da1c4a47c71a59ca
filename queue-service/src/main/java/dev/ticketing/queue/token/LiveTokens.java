package dev.ticketing.queue.token;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * The one-live-token-per-user rule, kept by the database: a row keyed by user id, claimed by the
 * join that issues the token (QueueJoining) and deleted when the token ends. A concurrent join of
 * the same user waits on the first's key and then finds it taken.
 */
@Repository
public class LiveTokens {

    private final JdbcTemplate jdbc;

    LiveTokens(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Frees the user's slot if {@code tokenId} still holds it. */
    public void release(long userId, String tokenId) {
        jdbc.update("DELETE FROM live_token WHERE user_id = ? AND token_id = ?", userId, tokenId);
    }
}
