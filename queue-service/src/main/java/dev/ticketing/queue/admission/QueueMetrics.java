package dev.ticketing.queue.admission;

import dev.ticketing.queue.token.QueueTokenRepository;
import dev.ticketing.queue.token.TokenStatus;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;

/**
 * The queue as operators watch it: tokens waiting and active, the measured admission rate the
 * estimates use, and the limits in force ({@link Admission} counts the admissions themselves). Counts are read from the
 * database at most every {@link #COUNT_MAX_AGE}, however often they are scraped.
 */
@Component
public class QueueMetrics {

    static final Duration COUNT_MAX_AGE = Duration.ofSeconds(5);

    private final QueueTokenRepository tokens;
    private final Clock clock;
    private final Map<TokenStatus, Long> counts = new EnumMap<>(TokenStatus.class);
    private Instant countedAt = Instant.MIN;

    QueueMetrics(QueueTokenRepository tokens, QueueMonitor monitor, Clock clock, MeterRegistry meters) {
        this.tokens = tokens;
        this.clock = clock;
        for (TokenStatus status : new TokenStatus[] {TokenStatus.WAITING, TokenStatus.ACTIVE}) {
            Gauge.builder("queue.tokens", this, m -> m.count(status))
                    .description("Queue tokens by status").tag("status", status.name().toLowerCase(java.util.Locale.ROOT))
                    .register(meters);
        }
        Gauge.builder("queue.admission.rate", monitor, m -> m.current().admissionRate())
                .description("Admissions per second measured over the last minute (what estimated waits use)")
                .register(meters);
        Gauge.builder("queue.admission.paused", monitor, m -> m.current().paused() ? 1 : 0)
                .description("1 while an operator has paused admission").register(meters);
        Gauge.builder("queue.admission.limit", monitor, m -> m.current().admitPerSecond())
                .description("Admission limits in force").tag("limit", "admit_per_second").register(meters);
        Gauge.builder("queue.admission.limit", monitor, m -> m.current().maxActive())
                .description("Admission limits in force").tag("limit", "max_active").register(meters);
    }

    private synchronized double count(TokenStatus status) {
        Instant now = clock.instant();
        if (!countedAt.plus(COUNT_MAX_AGE).isAfter(now)) {
            counts.put(TokenStatus.WAITING, tokens.countByStatus(TokenStatus.WAITING));
            counts.put(TokenStatus.ACTIVE, tokens.countByStatus(TokenStatus.ACTIVE));
            countedAt = now;
        }
        return counts.get(status);
    }
}
