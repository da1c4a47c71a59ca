package dev.ticketing.queue.waiting;

import dev.ticketing.queue.token.SignedToken;
import dev.ticketing.queue.token.TokenSigner;
import dev.ticketing.queue.token.TokenStatuses;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.util.List;

/**
 * Takes a join's cold paths once before the instance reports ready (Spring Boot publishes readiness
 * after its runners): the first ES256 signature, which loads and initialises Bouncy Castle's curve
 * code, and a read of the token table through the pool. Without it the first joins after a start
 * paid for that inside the gateway's join time limit, and on a busy host missed it (a 503 for the
 * very first join of the end-to-end suite in CI). Writes nothing: the token signed here is dropped.
 */
@Component
class JoinWarmUp implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(JoinWarmUp.class);

    private final TokenSigner signer;
    private final TokenStatuses statuses;
    private final Clock clock;

    JoinWarmUp(TokenSigner signer, TokenStatuses statuses, Clock clock) {
        this.signer = signer;
        this.statuses = statuses;
        this.clock = clock;
    }

    @Override
    public void run(ApplicationArguments args) {
        long started = System.nanoTime();
        try {
            SignedToken token = signer.sign(1);
            long signed = System.nanoTime();
            statuses.forPolls(List.of(token.tokenId()), clock.instant());
            log.info("Join paths warmed up: first signature {} ms, first token read {} ms",
                    (signed - started) / 1_000_000, (System.nanoTime() - signed) / 1_000_000);
        } catch (RuntimeException e) {
            // Only a warm-up: the instance still starts, and the joins themselves report what is wrong.
            log.warn("Join warm-up failed: {}", e.toString());
        }
    }
}
