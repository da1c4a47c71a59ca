package dev.ticketing.queue.expiry;

import dev.ticketing.events.TokenExpiryReason;
import dev.ticketing.messaging.outbox.Outbox;
import dev.ticketing.queue.admission.QueueSettings;
import dev.ticketing.queue.token.LiveTokens;
import dev.ticketing.queue.token.QueueToken;
import dev.ticketing.queue.token.QueueTokenRepository;
import org.springframework.data.domain.PageRequest;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * Ends tokens: ACTIVE ones whose time is up, WAITING ones nobody polls any more, and the one a
 * payment names. Each end frees the user's live slot and records QueueTokenExpired.
 */
@Service
public class TokenExpiry {

    static final int BATCH = 500;

    private final QueueTokenRepository tokens;
    private final LiveTokens liveTokens;
    private final Outbox outbox;
    private final QueueSettings settings;
    private final Clock clock;

    TokenExpiry(QueueTokenRepository tokens, LiveTokens liveTokens, Outbox outbox, QueueSettings settings, Clock clock) {
        this.tokens = tokens;
        this.liveTokens = liveTokens;
        this.outbox = outbox;
        this.settings = settings;
        this.clock = clock;
    }

    /** Expires ACTIVE tokens past their activeUntil; returns how many. */
    @Transactional
    public int expireEndedActive() {
        Instant now = clock.instant();
        return end(tokens.lockActiveEndedBy(now, PageRequest.of(0, BATCH)), TokenExpiryReason.ACTIVE_TTL, now);
    }

    /** Drops WAITING tokens not polled for the waiting timeout; returns how many. */
    @Transactional
    public int dropAbandoned() {
        Instant now = clock.instant();
        return end(tokens.lockWaitingUnseenSince(now.minus(settings.waitingTimeout()), PageRequest.of(0, BATCH)),
                TokenExpiryReason.ABANDONED, now);
    }

    /** Ends the token a completed payment names, if it is still live; returns whether it was. */
    @Transactional
    public boolean expirePaid(String tokenId) {
        return tokens.lockByTokenId(tokenId)
                .filter(QueueToken::isLive)
                .map(token -> end(List.of(token), TokenExpiryReason.PAYMENT_COMPLETED, clock.instant()) == 1)
                .orElse(false);
    }

    private int end(List<QueueToken> ending, TokenExpiryReason reason, Instant now) {
        for (QueueToken token : ending) {
            var expired = token.expire(reason, now);
            liveTokens.release(token.userId(), token.tokenId());
            outbox.publish(expired);
        }
        return ending.size();
    }
}
