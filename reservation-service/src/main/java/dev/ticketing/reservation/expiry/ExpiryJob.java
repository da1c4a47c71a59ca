package dev.ticketing.reservation.expiry;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/** Runs the hold expiry every second (tests switch it off and run it themselves). */
@Component
@EnableScheduling
@ConditionalOnProperty(prefix = "ticketing.reservation.jobs", name = "enabled", matchIfMissing = true)
class ExpiryJob {

    private static final Logger log = LoggerFactory.getLogger(ExpiryJob.class);

    private final HoldExpiry expiry;

    ExpiryJob(HoldExpiry expiry) {
        this.expiry = expiry;
    }

    @Scheduled(fixedDelayString = "${ticketing.reservation.jobs.interval:1s}")
    void run() {
        try {
            int n = expiry.expireDue();
            if (n > 0) {
                log.info("Released {} expired holds", n);
            }
        } catch (RuntimeException e) {
            // The database may be down: the next run tries again; nothing is half-applied.
            log.warn("Hold expiry failed, will retry: {}", e.toString());
        }
    }
}
