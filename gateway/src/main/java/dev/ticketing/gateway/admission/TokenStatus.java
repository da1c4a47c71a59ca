package dev.ticketing.gateway.admission;

import java.time.Instant;
import java.util.UUID;

/**
 * queue-service's answer about one token; {@code UNKNOWN} stands for a token it does not know.
 */
record TokenStatus(UUID tokenId, Long userId, State state, Instant activeUntil) {

    enum State { WAITING, ACTIVE, EXPIRED, UNKNOWN }

    static TokenStatus unknown(UUID tokenId) {
        return new TokenStatus(tokenId, null, State.UNKNOWN, null);
    }

    /** The JSON body as sent; the state stays text so a state this gateway does not know is caught. */
    record Body(String tokenId, Long userId, String status, Instant activeUntil) {

        TokenStatus toStatus() {
            State state = switch (status == null ? "" : status) {
                case "WAITING" -> State.WAITING;
                case "ACTIVE" -> State.ACTIVE;
                case "EXPIRED" -> State.EXPIRED;
                default -> throw new IllegalStateException("queue-service answered unknown token status " + status);
            };
            return new TokenStatus(UUID.fromString(tokenId), userId, state, activeUntil);
        }
    }
}
