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
 * and the user it names; {@code view} null for a token queue-service does not know.
 */
record TokenPoll(UUID tokenId, long userId, byte[] view) {

    static TokenPoll unknown(UUID tokenId) {
        return new TokenPoll(tokenId, 0, null);
    }

    boolean known() {
        return view != null;
    }

    /** {@code {"views": [{"tokenId": ..., "view": {...token view...}}]}}, by token id. */
    static Map<UUID, TokenPoll> read(JsonNode answer, ObjectMapper json) {
        Map<UUID, TokenPoll> found = new HashMap<>();
        for (JsonNode entry : answer.path("views")) {
            UUID tokenId = UUID.fromString(entry.path("tokenId").asText());
            JsonNode view = entry.path("view");
            if (!view.path("userId").canConvertToExactIntegral()) {
                throw new IllegalStateException("queue-service answered a token view without a user id");
            }
            try {
                found.put(tokenId, new TokenPoll(tokenId, view.path("userId").asLong(), json.writeValueAsBytes(view)));
            } catch (JsonProcessingException e) {
                throw new UncheckedIOException(e);
            }
        }
        return found;
    }
}
