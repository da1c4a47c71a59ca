package dev.ticketing.queue.waiting;

import dev.ticketing.queue.admission.QueueSnapshot;
import dev.ticketing.queue.token.QueueToken;
import dev.ticketing.queue.token.TokenStatus;

import java.time.Instant;

/**
 * The token view of DESIGN section 3: WAITING (position >= 1, estimated wait or null while
 * paused), ACTIVE (position 0, wait 0, activeUntil), EXPIRED (position 0, wait null, activeUntil =
 * when it ended).
 */
record TokenView(String token, long userId, TokenStatus status, long position, Long estimatedWaitSeconds,
                 Instant activeUntil) {

    static TokenView of(QueueToken token, QueueSnapshot queue, Instant now) {
        TokenStatus status = token.statusAt(now);
        return switch (status) {
            case WAITING -> {
                long position = queue.positionOf(token.sequence());
                yield new TokenView(token.jwt(), token.userId(), status, position, queue.estimatedWaitSeconds(position), null);
            }
            case ACTIVE -> new TokenView(token.jwt(), token.userId(), status, 0, 0L, token.activeUntilAt(now));
            case EXPIRED -> new TokenView(token.jwt(), token.userId(), status, 0, null, token.activeUntilAt(now));
        };
    }
}
