package dev.ticketing.queue.waiting;

import dev.ticketing.events.QueueTokenIssued;
import dev.ticketing.messaging.outbox.Outbox;
import dev.ticketing.queue.token.SignedToken;
import dev.ticketing.queue.token.TokenSigner;
import dev.ticketing.queue.token.TokenStatus;
import dev.ticketing.queue.token.TokenStatuses;
import dev.ticketing.queue.token.TokenStatuses.Polled;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Joining the queue: a new WAITING token with the next sequence, or the user's live token if
 * they already have one.
 *
 * <p>Joins are written in batches (a group commit). Each request signs its token on its own thread,
 * which is most of a join's CPU, queues it and takes the writing lock; whoever holds the lock writes
 * every join queued by then in one transaction. One statement claims the users' live slots (the
 * {@code live_token} key, so one live token per user holds across instances too), one inserts the
 * new tokens in order of arrival, which gives their sequences, and one records their
 * QueueTokenIssued events. During a burst the database runs a handful of statements and one commit
 * per batch instead of per join; a join that arrives alone is a batch of one. A user who already has
 * a live token gets it back, and the token signed for them is dropped.
 */
@Service
class QueueJoining {

    /** The most joins one transaction writes; more than Tomcat's threads would ever queue at once. */
    static final int MAX_BATCH = 200;

    private final TokenSigner signer;
    private final TokenStatuses statuses;
    private final Outbox outbox;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final Queue<Pending> queued = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queuedCount = new AtomicInteger();
    private final ReentrantLock writing = new ReentrantLock();
    private final DistributionSummary batchSizes;

    QueueJoining(TokenSigner signer, TokenStatuses statuses, Outbox outbox, JdbcTemplate jdbc, TransactionTemplate tx,
                 Clock clock, MeterRegistry meters) {
        this.signer = signer;
        this.statuses = statuses;
        this.outbox = outbox;
        this.jdbc = jdbc;
        this.tx = tx;
        this.clock = clock;
        this.batchSizes = DistributionSummary.builder("queue.join.batch")
                .description("Joins written per transaction (group commit)").baseUnit("joins").register(meters);
        Gauge.builder("queue.join.queued", queuedCount, AtomicInteger::get)
                .description("Joins signed and waiting for the next batch to be written").register(meters);
    }

    Joined join(long userId) {
        Pending mine = new Pending(signer.sign(userId), outbox.currentTraceparent());
        waitFor(List.of(mine));
        return mine.joined();
    }

    /**
     * The joins of many users at once, each with the trace of the request it stands for (null: the
     * current one): the gateway gathers the joins that arrive together into one call. Answers in
     * the order asked, each as {@link #join} would; a join that failed is null (its user may try
     * again), the others stand.
     */
    List<Joined> joinAll(List<Long> userIds, List<String> traceparents) {
        String current = outbox.currentTraceparent();
        List<Pending> mine = new ArrayList<>(userIds.size());
        for (int i = 0; i < userIds.size(); i++) {
            String traceparent = traceparents.get(i);
            mine.add(new Pending(signer.sign(userIds.get(i)), traceparent != null ? traceparent : current));
        }
        waitFor(mine);
        List<Joined> answers = new ArrayList<>(mine.size());
        for (Pending p : mine) {
            answers.add(p.failure == null ? p.joined : null);
        }
        return answers;
    }

    /** Queues the joins and writes batches until every one of them is answered. */
    private void waitFor(List<Pending> mine) {
        queued.addAll(mine);
        queuedCount.addAndGet(mine.size());
        writing.lock();
        try {
            while (!mine.stream().allMatch(Pending::done)) {
                write(nextBatch());
            }
        } finally {
            writing.unlock();
        }
    }

    private List<Pending> nextBatch() {
        List<Pending> batch = new ArrayList<>();
        Pending next;
        while (batch.size() < MAX_BATCH && (next = queued.poll()) != null) {
            batch.add(next);
        }
        queuedCount.addAndGet(-batch.size());
        return batch;
    }

    /** Writes {@code batch} and answers each of its joins, with the batch's failure if it fails. */
    private void write(List<Pending> batch) {
        batchSizes.record(batch.size());
        try {
            Map<Pending, Joined> answers = writeWithOneRetry(batch, clock.instant());
            for (Pending p : batch) {
                Joined answer = answers.get(p);
                if (answer != null) {
                    p.answer(answer);
                } else {
                    p.fail(new IllegalStateException("user " + p.token.userId() + "'s live slot names an unknown token"));
                }
            }
        } catch (RuntimeException e) {
            batch.forEach(p -> p.fail(e));
        }
    }

    private Map<Pending, Joined> writeWithOneRetry(List<Pending> batch, Instant now) {
        try {
            return tx.execute(s -> writeInTransaction(batch, now));
        } catch (PessimisticLockingFailureException deadlock) {
            // Another instance's batch claimed some of the same users in the other order: once more.
            return tx.execute(s -> writeInTransaction(batch, now));
        }
    }

    private Map<Pending, Joined> writeInTransaction(List<Pending> batch, Instant now) {
        // The first join of each user in the batch claims for them; their later ones get its answer.
        Map<Long, Pending> firstOfUser = new LinkedHashMap<>();
        batch.forEach(p -> firstOfUser.putIfAbsent(p.token.userId(), p));
        List<Pending> claims = new ArrayList<>(firstOfUser.values());

        Map<Long, String> liveTokenOf = claimLiveSlots(claims);
        List<Pending> issued = new ArrayList<>();
        List<String> keptTokenIds = new ArrayList<>();
        for (Pending claim : claims) {
            String live = liveTokenOf.get(claim.token.userId());
            if (claim.token.tokenId().equals(live)) {
                issued.add(claim);
            } else {
                keptTokenIds.add(live);
            }
        }
        Map<String, Long> sequences = insertTokens(issued);
        outbox.publishAll(issued.stream().map(p -> new Outbox.Traced(
                new QueueTokenIssued(p.token.tokenId(), p.token.userId(), sequences.get(p.token.tokenId())), p.traceparent)).toList());
        Map<String, Polled> kept = keptTokenIds.isEmpty() ? Map.of() : statuses.forPolls(keptTokenIds, now);

        Map<Pending, Joined> answers = new IdentityHashMap<>();
        for (Pending claim : claims) {
            SignedToken t = claim.token;
            Long sequence = sequences.get(t.tokenId());
            if (sequence != null) {
                answers.put(claim, new Joined(new Polled(sequence, t.userId(), t.jwt(), TokenStatus.WAITING, null, t.issuedAt()), true));
            } else {
                // A slot naming no token would break the live-token rule: that user's joins go unanswered
                // (and fail), the rest of the batch commits.
                Polled live = kept.get(liveTokenOf.get(t.userId()));
                if (live != null) {
                    answers.put(claim, new Joined(live, false));
                }
            }
        }
        for (Pending p : batch) {
            Joined first = answers.get(firstOfUser.get(p.token.userId()));
            if (first != null) {
                answers.putIfAbsent(p, new Joined(first.token(), false));
            }
        }
        return answers;
    }

    /**
     * Claims a live slot for each user that has none; returns every user's live token id. Slots are
     * claimed in ascending user order, so batches on two instances lock the keys in one order; a slot
     * another transaction is claiming is waited for. The claimed slots are read back only when some
     * were taken already, with a locking read, which sees the latest committed slot.
     */
    private Map<Long, String> claimLiveSlots(List<Pending> claims) {
        List<Pending> byUser = new ArrayList<>(claims);
        byUser.sort(Comparator.comparingLong(p -> p.token.userId()));
        List<Object> args = new ArrayList<>(byUser.size() * 2);
        byUser.forEach(p -> Collections.addAll(args, p.token.userId(), p.token.tokenId()));
        int claimed = jdbc.update("INSERT IGNORE INTO live_token (user_id, token_id) VALUES " + rows(byUser.size(), 2), args.toArray());

        Map<Long, String> liveTokenOf = new HashMap<>();
        if (claimed == claims.size()) {
            claims.forEach(p -> liveTokenOf.put(p.token.userId(), p.token.tokenId()));
            return liveTokenOf;
        }
        jdbc.query("SELECT user_id, token_id FROM live_token WHERE user_id IN (" + marks(byUser.size()) + ") LOCK IN SHARE MODE",
                rs -> {
                    liveTokenOf.put(rs.getLong(1), rs.getString(2));
                }, byUser.stream().map(p -> p.token.userId()).toArray());
        return liveTokenOf;
    }

    /** Inserts the tokens in order of arrival, so their sequences are in that order; returns the sequences. */
    private Map<String, Long> insertTokens(List<Pending> issued) {
        Map<String, Long> sequences = new HashMap<>();
        if (issued.isEmpty()) {
            return sequences;
        }
        List<Object> args = new ArrayList<>(issued.size() * 7);
        for (Pending p : issued) {
            SignedToken t = p.token;
            LocalDateTime issuedAt = utc(t.issuedAt());
            Collections.addAll(args, t.tokenId(), t.userId(), TokenStatus.WAITING.name(), t.jwt(), issuedAt, utc(t.expiresAt()), issuedAt);
        }
        jdbc.update("INSERT INTO queue_token (token_id, user_id, status, jwt, issued_at, expires_at, last_seen_at) VALUES "
                + rows(issued.size(), 7), args.toArray());
        // Read back rather than derived from the first generated key: with interleaved auto-increment
        // locking (MySQL 8's default) one statement's values need not be consecutive.
        jdbc.query("SELECT token_id, sequence FROM queue_token WHERE token_id IN (" + marks(issued.size()) + ")",
                rs -> {
                    sequences.put(rs.getString(1), rs.getLong(2));
                }, issued.stream().map(p -> p.token.tokenId()).toArray());
        return sequences;
    }

    private static String rows(int rows, int columns) {
        String row = "(" + marks(columns) + ")";
        return String.join(",", Collections.nCopies(rows, row));
    }

    private static String marks(int count) {
        return String.join(",", Collections.nCopies(count, "?"));
    }

    private static LocalDateTime utc(Instant instant) {
        return LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    /** A join's answer: the token as a poll would see it now, and whether this join issued it. */
    record Joined(Polled token, boolean created) {
    }

    /**
     * A signed token waiting to be written, with the trace of the request that joined. Answered by
     * whichever thread writes its batch, under the writing lock, and read by its own thread after
     * taking that lock, so plain fields are safely published.
     */
    private static final class Pending {

        final SignedToken token;
        final String traceparent;
        private Joined joined;
        private RuntimeException failure;

        Pending(SignedToken token, String traceparent) {
            this.token = token;
            this.traceparent = traceparent;
        }

        boolean done() {
            return joined != null || failure != null;
        }

        void answer(Joined joined) {
            this.joined = joined;
        }

        void fail(RuntimeException failure) {
            this.failure = failure;
        }

        Joined joined() {
            if (failure != null) {
                throw failure;
            }
            return joined;
        }
    }
}
