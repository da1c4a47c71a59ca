package dev.ticketing.queue.admission;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Keeps a recent copy of the queue state and measures the admission rate (every instance refreshes its copy each
 * tick), and reads the queue's progress afresh for the answers that show a position ({@link #fresh}).
 * <p>
 * Its first read of the database (creating the state row if there is none) is the first step of the context's start,
 * before any scheduled job, listener or request, not part of building the bean: a context refreshed without a
 * database, as the container image's AOT training run refreshes it, must not need one.
 */
@Component
public class QueueMonitor implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(QueueMonitor.class);
    private static final Duration RATE_WINDOW = Duration.ofSeconds(60);
    private static final Duration MIN_RATE_SPAN = Duration.ofSeconds(5);

    private final QueueStateRepository states;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final QueueSettings settings;
    private final Clock clock;
    private final Deque<Sample> samples = new ArrayDeque<>();
    private volatile QueueSnapshot snapshot;
    private volatile boolean running;

    QueueMonitor(QueueStateRepository states, JdbcTemplate jdbc, TransactionTemplate tx, QueueSettings settings, Clock clock) {
        this.states = states;
        this.jdbc = jdbc;
        this.tx = tx;
        this.settings = settings;
        this.clock = clock;
    }

    @Override
    public void start() {
        ensureStateRow();
        refresh();
        running = true;
    }

    @Override
    public void stop() {
        running = false; // the copy stays readable
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** First of all: the admission tick, the listeners and the web server start in later phases and read the copy. */
    @Override
    public int getPhase() {
        return Integer.MIN_VALUE;
    }

    /** The copy as of this instance's last refresh: for gauges and operators, never for a client's position. */
    public QueueSnapshot current() {
        return snapshot;
    }

    /**
     * The queue's progress (admitted through, paused) read from the database now, with this instance's measured
     * rate: what a position is computed from. Every instance keeps its own copy, refreshed on its own tick, and a
     * client's polls go to whichever instance the gateway picks; positions from those copies could go up from one
     * poll to the next (DESIGN section 4 says they never do). The state row only moves forward, so a position
     * read after another is never higher. One primary-key read per call, and calls carry batches of polls.
     */
    public QueueSnapshot fresh() {
        QueueSnapshot known = snapshot;
        return jdbc.queryForObject("SELECT paused, admitted_through FROM queue_state WHERE id = ?",
                (rs, i) -> known.withProgress(rs.getBoolean("paused"), rs.getLong("admitted_through")), QueueState.ID);
    }

    /** Reads the state row again and updates the measured admission rate. */
    public synchronized QueueSnapshot refresh() {
        QueueState state = states.findById(QueueState.ID).orElseThrow();
        Instant now = clock.instant();
        samples.addLast(new Sample(now, state.admittedTotal()));
        while (samples.size() > 1 && samples.peekFirst().at().isBefore(now.minus(RATE_WINDOW))) {
            samples.removeFirst();
        }
        snapshot = new QueueSnapshot(state.paused(), state.admitPerSecond(), state.maxActive(),
                state.admittedThrough(), state.admittedTotal(), rate(state));
        return snapshot;
    }

    private double rate(QueueState state) {
        Sample first = samples.peekFirst();
        Sample last = samples.peekLast();
        Duration span = Duration.between(first.at(), last.at());
        if (span.compareTo(MIN_RATE_SPAN) >= 0 && last.admittedTotal() > first.admittedTotal()) {
            return (last.admittedTotal() - first.admittedTotal()) / (span.toMillis() / 1000.0);
        }
        // No measurement yet (just started, or nobody admitted lately because the queue was
        // empty or full): assume the configured rate.
        return state.admitPerSecond();
    }

    private void ensureStateRow() {
        try {
            tx.executeWithoutResult(s -> {
                if (states.findById(QueueState.ID).isEmpty()) {
                    states.saveAndFlush(new QueueState(settings.admitPerSecond(), settings.maxActive()));
                    log.info("Queue state created: admit {}/s, at most {} active", settings.admitPerSecond(), settings.maxActive());
                }
            });
        } catch (DataIntegrityViolationException anotherInstanceWon) {
            // another instance created it at the same moment
        }
    }

    private record Sample(Instant at, long admittedTotal) {
    }
}
