package dev.ticketing.gateway.admission;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * queue-service's answer to a status poll of one token: its token view, as queue-service wrote it,
 * the user it names, and how many seconds its holder should wait before polling again (null when there
 * is nothing to wait for); {@code view} null for a token queue-service does not know.
 */
record TokenPoll(UUID tokenId, long userId, byte[] view, Integer pollAfterSeconds) {

    static TokenPoll unknown(UUID tokenId) {
        return new TokenPoll(tokenId, 0, null, null);
    }

    boolean known() {
        return view != null;
    }

    /** {@code {"views": [{"tokenId": ..., "view": {...token view...}, "pollAfterSeconds": n}]}}, by token id. */
    static Map<UUID, TokenPoll> read(JsonNode answer, ObjectMapper json) {
        Map<UUID, TokenPoll> found = new HashMap<>();
        for (JsonNode entry : answer.path("views")) {
            UUID tokenId = UUID.fromString(entry.path("tokenId").asText());
            JsonNode view = entry.path("view");
            if (!view.path("userId").canConvertToExactIntegral()) {
                throw new IllegalStateException("queue-service answered a token view without a user id");
            }
            try {
                JsonNode pollAfter = entry.path("pollAfterSeconds");
                found.put(tokenId, new TokenPoll(tokenId, view.path("userId").asLong(), json.writeValueAsBytes(view),
                        pollAfter.canConvertToInt() ? Integer.valueOf(pollAfter.asInt()) : null));
            } catch (JsonProcessingException e) {
                throw new UncheckedIOException(e);
            }
        }
        return found;
    }
}
