package dev.ticketing.queue.jobs;

import dev.ticketing.queue.admission.Admission;
import dev.ticketing.queue.admission.QueueMonitor;
import dev.ticketing.queue.expiry.TokenExpiry;
import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The queue's clockwork, once a tick on one instance at a time (ShedLock on the database's
 * clock): end ACTIVE tokens whose time is up (freeing room), drop abandoned waiters, admit the next.
 * Every instance also refreshes its copy of the queue state for status polls. It drives both expiry and
 * admission, so it lives above them: neither knows the other's schedule.
 */
@Component
@ConditionalOnProperty(prefix = "ticketing.queue.jobs", name = "enabled", matchIfMissing = true)
class QueueJobs {

    private static final Logger log = LoggerFactory.getLogger(QueueJobs.class);

    private final TokenExpiry expiry;
    private final Admission admission;
    private final QueueMonitor monitor;

    QueueJobs(TokenExpiry expiry, Admission admission, QueueMonitor monitor) {
        this.expiry = expiry;
        this.admission = admission;
        this.monitor = monitor;
    }

    /**
     * The lock is held while a tick runs and released at its end; an instance killed in the middle of one leaves it
     * held until {@code lockAtMostFor}, so that is how long admission can pause when the admitting instance dies.
     * Short, since a tick takes milliseconds: were one to outlast it, the next instance's tick would still wait for
     * the state row's lock (admission) or skip the rows being ended (SKIP LOCKED), so nothing is done twice.
     */
    @Scheduled(fixedDelayString = "${ticketing.queue.tick:1s}", initialDelayString = "${ticketing.queue.tick:1s}")
    @SchedulerLock(name = "queue-maintenance", lockAtMostFor = "PT5S")
    void tick() {
        try {
            int ended = expiry.expireEndedActive();
            int dropped = expiry.dropAbandoned();
            int admitted = admission.admit();
            if (ended + dropped + admitted > 0) {
                log.debug("Queue tick: {} ended, {} dropped, {} admitted", ended, dropped, admitted);
            }
        } catch (RuntimeException e) {
            log.warn("Queue tick failed, next tick retries: {}", e.toString());
        }
    }

    @Scheduled(fixedDelayString = "${ticketing.queue.tick:1s}")
    void refreshSnapshot() {
        try {
            monitor.refresh();
        } catch (RuntimeException e) {
            log.warn("Could not refresh the queue state: {}", e.toString());
        }
    }
}
