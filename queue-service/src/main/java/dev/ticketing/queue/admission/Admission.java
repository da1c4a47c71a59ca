package dev.ticketing.queue.admission;

import dev.ticketing.messaging.outbox.Outbox;
import dev.ticketing.queue.token.QueueToken;
import dev.ticketing.queue.token.QueueTokenRepository;
import dev.ticketing.queue.token.TokenStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.data.domain.PageRequest;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * Lets the next WAITING tokens in, in order of arrival ({@code ORDER BY sequence}), at most
 * {@code admitPerSecond} a tick and never past {@code maxActive} ACTIVE at once. The state row is
 * locked for the whole step, so instances (and operator changes) cannot interleave.
 */
@Service
public class Admission {

    private final QueueStateRepository states;
    private final QueueTokenRepository tokens;
    private final Outbox outbox;
    private final QueueSettings settings;
    private final Clock clock;
    private final Counter admissions;

    Admission(QueueStateRepository states, QueueTokenRepository tokens, Outbox outbox, QueueSettings settings, Clock clock,
              MeterRegistry meters) {
        this.states = states;
        this.tokens = tokens;
        this.outbox = outbox;
        this.settings = settings;
        this.clock = clock;
        // A counter, so rate(queue_admissions_total[1m]) is admissions per second summed over instances.
        this.admissions = Counter.builder("queue.admissions").description("Tokens let in (WAITING to ACTIVE)").register(meters);
    }

    /** One admission step; returns how many tokens became ACTIVE. */
    @Transactional
    public int admit() {
        QueueState state = states.lock().orElseThrow();
        Instant now = clock.instant();
        int admitted = 0;
        if (state.mayAdmit(now, settings.tick())) {
            int slots = state.slots(tokens.countByStatus(TokenStatus.ACTIVE));
            List<QueueToken> next = slots == 0 ? List.of() : tokens.lockNextWaiting(PageRequest.of(0, slots));
            for (QueueToken token : next) {
                outbox.publish(token.activate(now, settings.activeTtl()));
            }
            admitted = next.size();
            state.admitted(admitted, now);
            countOnCommit(admitted);
        }
        // Everything below the first WAITING token has left the queue (admitted or dropped).
        long through = tokens.firstWaitingSequence().map(first -> first - 1)
                .orElseGet(() -> tokens.lastSequence().orElse(0L));
        state.leftThrough(through);
        return admitted;
    }

    private void countOnCommit(int admitted) {
        if (admitted > 0) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    admissions.increment(admitted);
                }
            });
        }
    }
}
