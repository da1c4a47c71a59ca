package dev.ticketing.queue.token;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

import java.util.List;
import java.util.Optional;

/**
 * The one-live-token-per-user rule, kept by the database: a row keyed by user id, inserted in
 * the join transaction and deleted when the token ends. A concurrent second join waits on the
 * first's key and then finds it taken.
 */
@Repository
public class LiveTokens {

    private final JdbcTemplate jdbc;

    LiveTokens(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Claims the user's live slot; throws {@code DuplicateKeyException} if the user has one. */
    public void claim(long userId, String tokenId) {
        jdbc.update("INSERT INTO live_token (user_id, token_id) VALUES (?, ?)", userId, tokenId);
    }

    public Optional<String> find(long userId) {
        List<String> ids = jdbc.queryForList("SELECT token_id FROM live_token WHERE user_id = ?", String.class, userId);
        return ids.stream().findFirst();
    }

    /** Frees the user's slot if {@code tokenId} still holds it. */
    public void release(long userId, String tokenId) {
        jdbc.update("DELETE FROM live_token WHERE user_id = ? AND token_id = ?", userId, tokenId);
    }
}
