package dev.ticketing.queue.admission;

import dev.ticketing.queue.token.QueueTokenRepository;
import dev.ticketing.queue.token.TokenStatus;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.lang.Nullable;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Operators' view and controls of the queue, on the management port only ({@code /actuator/queue}),
 * which the gateway never routes: read the state, pause or resume admission, change the limits.
 */
@Component
@Endpoint(id = "queue")
class QueueOperatorEndpoint {

    private final QueueStateRepository states;
    private final QueueTokenRepository tokens;
    private final QueueMonitor monitor;
    private final TransactionTemplate tx;

    QueueOperatorEndpoint(QueueStateRepository states, QueueTokenRepository tokens, QueueMonitor monitor,
                          TransactionTemplate tx) {
        this.states = states;
        this.tokens = tokens;
        this.monitor = monitor;
        this.tx = tx;
    }

    @ReadOperation
    QueueReport state() {
        QueueSnapshot snapshot = monitor.refresh();
        return new QueueReport(tokens.countByStatus(TokenStatus.WAITING), tokens.countByStatus(TokenStatus.ACTIVE),
                snapshot.admittedTotal(), snapshot.admittedThrough(), snapshot.admissionRate(),
                snapshot.admitPerSecond(), snapshot.maxActive(), snapshot.paused());
    }

    /** Any of: {"paused": true|false, "admitPerSecond": n, "maxActive": n}. */
    @WriteOperation
    QueueReport change(@Nullable Boolean paused, @Nullable Integer admitPerSecond, @Nullable Integer maxActive) {
        if (paused == null && admitPerSecond == null && maxActive == null) {
            throw new InvalidEndpointRequestException("nothing to change", "give paused, admitPerSecond or maxActive");
        }
        if (admitPerSecond != null && (admitPerSecond < 0 || admitPerSecond > 100_000)) {
            throw new InvalidEndpointRequestException("admitPerSecond out of range", "admitPerSecond must be in 0..100000");
        }
        if (maxActive != null && (maxActive < 0 || maxActive > 10_000_000)) {
            throw new InvalidEndpointRequestException("maxActive out of range", "maxActive must be in 0..10000000");
        }
        tx.executeWithoutResult(s -> {
            QueueState state = states.lock().orElseThrow();
            if (paused != null) {
                state.pause(paused);
            }
            state.limits(admitPerSecond, maxActive);
        });
        return state();
    }

    record QueueReport(long waiting, long active, long admittedTotal, long admittedThrough,
                       double admissionRatePerSecond, int admitPerSecond, int maxActive, boolean paused) {
    }
}
