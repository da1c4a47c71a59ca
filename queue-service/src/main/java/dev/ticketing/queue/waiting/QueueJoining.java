package dev.ticketing.queue.waiting;

import dev.ticketing.messaging.outbox.Outbox;
import dev.ticketing.queue.token.LiveTokens;
import dev.ticketing.queue.token.QueueToken;
import dev.ticketing.queue.token.QueueTokenRepository;
import dev.ticketing.queue.token.SignedToken;
import dev.ticketing.queue.token.TokenSigner;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.Optional;

/**
 * Joining the queue: a new WAITING token with the next sequence, or the user's live token if
 * they already have one. The live-token key decides between concurrent joins of one user: the
 * first to insert it wins; the others roll back and return the winner's token.
 */
@Service
class QueueJoining {

    private final QueueTokenRepository tokens;
    private final LiveTokens liveTokens;
    private final TokenSigner signer;
    private final Outbox outbox;
    private final TransactionTemplate tx;

    QueueJoining(QueueTokenRepository tokens, LiveTokens liveTokens, TokenSigner signer, Outbox outbox,
                 TransactionTemplate tx) {
        this.tokens = tokens;
        this.liveTokens = liveTokens;
        this.signer = signer;
        this.outbox = outbox;
        this.tx = tx;
    }

    Joined join(long userId) {
        Optional<QueueToken> live = liveToken(userId);
        if (live.isPresent()) {
            return new Joined(live.get(), false);
        }
        try {
            return new Joined(tx.execute(s -> {
                SignedToken signed = signer.sign(userId);
                liveTokens.claim(userId, signed.tokenId());
                QueueToken token = tokens.saveAndFlush(QueueToken.issue(signed));
                outbox.publish(token.issued());
                return token;
            }), true);
        } catch (DuplicateKeyException concurrentJoin) {
            return new Joined(liveToken(userId).orElseThrow(() -> new IllegalStateException(
                    "user " + userId + " lost a join race to a token that is gone already")), false);
        }
    }

    private Optional<QueueToken> liveToken(long userId) {
        return liveTokens.find(userId).flatMap(tokens::findByTokenId).filter(QueueToken::isLive);
    }

    record Joined(QueueToken token, boolean created) {
    }
}
