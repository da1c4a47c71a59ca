package dev.ticketing.queue.waiting;

import dev.ticketing.queue.token.TokenStatus;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** How long a waiting client is told to wait before its next poll. */
class TokenViewTest {

    @Test
    void aboutATenthOfTheEstimatedWaitBetweenTwoAndThirtySeconds() {
        assertThat(waiting(0L).pollAfterSeconds()).isEqualTo(2);
        assertThat(waiting(15L).pollAfterSeconds()).isEqualTo(2);
        assertThat(waiting(21L).pollAfterSeconds()).isEqualTo(3);
        assertThat(waiting(100L).pollAfterSeconds()).isEqualTo(10);
        assertThat(waiting(300L).pollAfterSeconds()).isEqualTo(30);
        assertThat(waiting(86_400L).pollAfterSeconds()).isEqualTo(30);
    }

    @Test
    void tenSecondsWhileThePausedQueueHasNoEstimateAndNothingOnceLetInOrEnded() {
        assertThat(waiting(null).pollAfterSeconds()).isEqualTo(10);
        assertThat(new TokenView("jwt", 7, TokenStatus.ACTIVE, 0, 0L, Instant.now()).pollAfterSeconds()).isNull();
        assertThat(new TokenView("jwt", 7, TokenStatus.EXPIRED, 0, null, Instant.now()).pollAfterSeconds()).isNull();
    }

    private static TokenView waiting(Long estimatedWaitSeconds) {
        return new TokenView("jwt", 7, TokenStatus.WAITING, 42, estimatedWaitSeconds, null);
    }
}
