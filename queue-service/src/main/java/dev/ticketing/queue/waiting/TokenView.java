package dev.ticketing.queue.waiting;

import dev.ticketing.queue.admission.QueueSnapshot;
import dev.ticketing.queue.token.TokenStatus;
import dev.ticketing.queue.token.TokenStatuses;
import io.swagger.v3.oas.annotations.media.Schema;

import java.time.Instant;

/**
 * The token view of DESIGN section 3: WAITING (position >= 1, estimated wait or null while
 * paused), ACTIVE (position 0, wait 0, activeUntil), EXPIRED (position 0, wait null, activeUntil =
 * when it ended).
 */
@Schema(description = "A queue token and where it stands")
record TokenView(
        @Schema(description = "the token to send as `Queue-Token` (a signed JWT, valid for 24 hours)",
                example = "eyJraWQiOiJkZXYtMSIsImFsZyI6IkVTMjU2In0.eyJzdWIiOiI3In0.c2lnbmF0dXJl")
        String token,
        @Schema(example = "7") long userId,
        @Schema(description = "WAITING its turn, ACTIVE (let in), or EXPIRED (paid, timed out or dropped)")
        TokenStatus status,
        @Schema(description = "1 for the next to be let in while WAITING; 0 once ACTIVE or EXPIRED", example = "42")
        long position,
        @Schema(description = "seconds until admission, estimated while WAITING (null while the queue is paused); "
                + "0 when ACTIVE; null when EXPIRED", nullable = true, example = "30")
        Long estimatedWaitSeconds,
        @Schema(description = "when an ACTIVE token's admission ends, or when an EXPIRED one ended; null while WAITING",
                nullable = true, example = "2026-11-24T10:15:30Z")
        Instant activeUntil) {

    /** The shortest and the longest pause a waiting client is told to make between polls. */
    static final int MIN_POLL_SECONDS = 2;
    static final int MAX_POLL_SECONDS = 30;

    /**
     * How long a client should wait before polling again ({@code Retry-After} on Q2's 200), or null when there
     * is nothing to wait for (ACTIVE or EXPIRED): about a tenth of the estimated wait, between 2 and 30 s, and
     * 10 s while the queue is paused. A crowd of 500,000 polling every 2 s would make 250,000 polls a second;
     * paced, those at the back poll every 30 s and the whole queue about 30,000 a second (docs/scaling.md).
     * 30 s is far inside the waiting timeout (5 min), so a paced client is never taken for one that left.
     */
    Integer pollAfterSeconds() {
        if (status != TokenStatus.WAITING) {
            return null;
        }
        if (estimatedWaitSeconds == null) {
            return 10;
        }
        long tenth = (estimatedWaitSeconds + 9) / 10;
        return (int) Math.max(MIN_POLL_SECONDS, Math.min(MAX_POLL_SECONDS, tenth));
    }

    static TokenView of(TokenStatuses.Polled token, QueueSnapshot queue) {
        return of(token.jwt(), token.userId(), token.sequence(), token.status(), token.activeUntil(), queue);
    }

    /** {@code status} and {@code activeUntil} as of now ({@link QueueToken#statusAt}, {@link QueueToken#activeUntilAt}). */
    private static TokenView of(String jwt, long userId, long sequence, TokenStatus status, Instant activeUntil,
                                QueueSnapshot queue) {
        return switch (status) {
            case WAITING -> {
                long position = queue.positionOf(sequence);
                yield new TokenView(jwt, userId, status, position, queue.estimatedWaitSeconds(position), null);
            }
            case ACTIVE -> new TokenView(jwt, userId, status, 0, 0L, activeUntil);
            case EXPIRED -> new TokenView(jwt, userId, status, 0, null, activeUntil);
        };
    }
}
