package dev.ticketing.messaging.consumer;

import dev.ticketing.events.Topics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.ExponentialBackOff;

import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.time.Duration;

/**
 * The listener error policy of DESIGN section 9:
 * <ul>
 *   <li>poison records (unreadable, unknown schema version, invalid payload: they can never succeed) go to
 *   {@code <topic>.<group>.DLT} at once and the consumer goes on;</li>
 *   <li>every other failure is retried with capped exponential backoff for as long as it lasts, never skipped:
 *   transient ones (database unreachable, lock timeout, deadlock, a needed service down) and unexpected ones
 *   alike. An unexpected failure (a bug, a database answering read-only during a failover) holds its partition
 *   until it passes or is fixed, and is logged as an ERROR and counted so that it is seen: dead-lettering it
 *   would lose the event's effect for good (a PaymentCompleted skipped leaves the seats to be resold and no
 *   refund), and a dead-lettered record is re-driven only by hand.</li>
 * </ul>
 */
public final class ConsumerErrorHandling {

    private static final Logger log = LoggerFactory.getLogger(ConsumerErrorHandling.class);

    private ConsumerErrorHandling() {
    }

    public static DefaultErrorHandler errorHandler(KafkaOperations<String, String> deadLetterProducer, String group,
                                                   Duration maxBackoff, MeterRegistry meters) {
        DeadLetterPublishingRecoverer deadLetters = new DeadLetterPublishingRecoverer(deadLetterProducer,
                (record, e) -> new TopicPartition(Topics.deadLetter(record.topic(), group), -1));
        // Without an attempt or time limit the back-off never runs out, so the recoverer (the dead-letter
        // topic) is reached only by the exceptions that are not retried at all: poison.
        DefaultErrorHandler handler = new DefaultErrorHandler((record, e) -> {
            deadLetters.accept(record, e);
            deadLetterCounter(meters, record.topic(), group).increment();
            log.error("Dead-lettered {}-{}@{} to {}: {}", record.topic(), record.partition(), record.offset(),
                    Topics.deadLetter(record.topic(), group), rootMessage(e));
        }, retryBackOff(maxBackoff));
        handler.addNotRetryableExceptions(PoisonEventException.class);
        handler.setLogLevel(org.springframework.kafka.KafkaException.Level.WARN);
        handler.setRetryListeners((record, e, attempt) -> {
            if (isPoison(e)) {
                return; // not retried: dead-lettered, and logged and counted as such
            }
            boolean expected = isTransient(e);
            failureCounter(meters, record.topic(), group, expected).increment();
            if (!expected && (attempt == 1 || attempt % UNEXPECTED_LOG_EVERY == 0)) {
                log.error("{}-{}@{} failed unexpectedly ({} tries so far); its partition waits, retried until it passes: {}",
                        record.topic(), record.partition(), record.offset(), attempt, rootMessage(e), e);
            }
        });
        return handler;
    }

    /** An unexpected failure is logged as an ERROR at its first try and every this many tries after. */
    private static final int UNEXPECTED_LOG_EVERY = 20;

    /**
     * Failed tries of records of {@code topic}, by whether the failure was a known transient one; a growing
     * count of unexpected ones is a partition held up by a failure that needs a look.
     */
    public static Counter failureCounter(MeterRegistry meters, String topic, String group, boolean transientFailure) {
        return Counter.builder("messaging.consumer.failures")
                .description("Failed tries of consumed records (retried); kind=unexpected holds a partition until fixed")
                .tag("topic", topic)
                .tag("group", group)
                .tag("kind", transientFailure ? "transient" : "unexpected")
                .register(meters);
    }

    /**
     * Records of {@code topic} this group has dead-lettered. Registered for every consumed topic at
     * start, so a dashboard shows 0 rather than nothing until the first one.
     */
    public static Counter deadLetterCounter(MeterRegistry meters, String topic, String group) {
        return Counter.builder("messaging.dead.letter")
                .description("Records sent to a dead-letter topic")
                .tag("topic", topic)
                .tag("group", group)
                .register(meters);
    }

    static BackOff retryBackOff(Duration maxBackoff) {
        ExponentialBackOff backOff = new ExponentialBackOff(100, 2.0);
        backOff.setMaxInterval(maxBackoff.toMillis());
        // No elapsed-time or attempt limit: retried for as long as the failure lasts.
        return backOff;
    }

    /** Whether the record can never succeed (it goes to the dead-letter topic), judging by the exception and its causes. */
    static boolean isPoison(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof PoisonEventException) {
                return true;
            }
        }
        return false;
    }

    /** Whether the failure will pass by itself, judging by the exception and its causes. */
    public static boolean isTransient(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof PoisonEventException) {
                return false;
            }
            if (t instanceof TransientFailureException
                    || t instanceof TransientDataAccessException
                    || t instanceof RecoverableDataAccessException
                    || t instanceof DataAccessResourceFailureException
                    || t instanceof PessimisticLockingFailureException
                    || t instanceof CannotCreateTransactionException
                    || t instanceof SQLTransientException
                    || t instanceof SQLRecoverableException
                    || t instanceof java.net.ConnectException
                    || isConnectionLost(t)) {
                return true;
            }
        }
        return false;
    }

    /**
     * SQLSTATE class 08, connection exception: the driver reports a connection that the server dropped
     * (restart, failover) as non-transient, since that connection is gone for good, but a new one will do.
     */
    private static boolean isConnectionLost(Throwable t) {
        return t instanceof java.sql.SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("08");
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.toString();
    }
}
