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
import org.springframework.util.backoff.FixedBackOff;

import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.time.Duration;

/**
 * The listener error policy of DESIGN section 9:
 * <ul>
 *   <li>transient failures (database unreachable, lock timeout, deadlock, a needed service down)
 *   are retried with capped exponential backoff for as long as they last, never skipped;</li>
 *   <li>poison records go to {@code <topic>.<group>.DLT} at once and the consumer goes on;</li>
 *   <li>anything else is retried a few times, then dead-lettered (a bug should not stop the
 *   partition; the record can be re-driven from the dead-letter topic once it is fixed).</li>
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
        DefaultErrorHandler handler = new DefaultErrorHandler((record, e) -> {
            deadLetters.accept(record, e);
            deadLetterCounter(meters, record.topic(), group).increment();
            log.error("Dead-lettered {}-{}@{} to {}: {}", record.topic(), record.partition(), record.offset(),
                    Topics.deadLetter(record.topic(), group), rootMessage(e));
        }, new FixedBackOff(500, 4));
        handler.addNotRetryableExceptions(PoisonEventException.class);
        BackOff transientBackOff = transientBackOff(maxBackoff);
        handler.setBackOffFunction((record, e) -> isTransient(e) ? transientBackOff : null);
        handler.setLogLevel(org.springframework.kafka.KafkaException.Level.WARN);
        return handler;
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

    static BackOff transientBackOff(Duration maxBackoff) {
        ExponentialBackOff backOff = new ExponentialBackOff(100, 2.0);
        backOff.setMaxInterval(maxBackoff.toMillis());
        // No elapsed-time or attempt limit: retried for as long as the failure lasts.
        return backOff;
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
