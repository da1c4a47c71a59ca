package dev.ticketing.gateway.admission;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.ticketing.gateway.problem.ProblemException;
import dev.ticketing.gateway.token.QueueToken;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Lets a verified token through an admitted route only while queue-service says it is ACTIVE.
 * <p>
 * Only ACTIVE answers are cached, and each one only until the earlier of its {@code activeUntil}
 * and {@code cache-max-age} (at most 1 s) after the lookup was sent. {@code activeUntil} alone is
 * not enough: a payment ends a token at once, long before its activeUntil, and DESIGN section 4
 * wants an expired token refused within 1 s. Counting from when the lookup was sent, not from when
 * the answer came, keeps that bound even for a slow answer. Other states are never cached: a
 * WAITING token may be admitted any second, and an unknown or expired one costs a lookup.
 */
@Component
public class AdmissionCheck {

    private static final Logger log = LoggerFactory.getLogger(AdmissionCheck.class);

    private final QueueServiceClient statuses;
    private final Clock clock;
    private final Duration cacheMaxAge;
    private final Cache<UUID, Instant> activeUntil;

    AdmissionCheck(QueueServiceClient statuses, AdmissionSettings settings, Clock clock) {
        this.statuses = statuses;
        this.clock = clock;
        this.cacheMaxAge = settings.cacheMaxAge();
        // Expiry here only frees memory; whether an entry may still be used is checked on read.
        this.activeUntil = Caffeine.newBuilder()
                .maximumSize(settings.cacheMaxEntries())
                .expireAfterWrite(settings.cacheMaxAge())
                .ticker(() -> toNanos(clock.instant()))
                .build();
    }

    /** Completes when the token is ACTIVE; otherwise fails with the refusal of DESIGN section 3, step 5. */
    public Mono<Void> requireActive(QueueToken token) {
        return Mono.defer(() -> {
            Instant validUntil = activeUntil.getIfPresent(token.tokenId());
            if (validUntil != null && clock.instant().isBefore(validUntil)) {
                return Mono.empty();
            }
            Instant askedAt = clock.instant();
            return statuses.fetch(token.tokenId())
                    .onErrorMap(error -> {
                        log.warn("Token status lookup failed, answering 503: {}", error.toString());
                        return ProblemException.serviceUnavailable();
                    })
                    .flatMap(status -> decide(token, status, askedAt));
        });
    }

    private Mono<Void> decide(QueueToken token, TokenStatus status, Instant askedAt) {
        if (status.state() != TokenStatus.State.UNKNOWN
                && (!token.tokenId().equals(status.tokenId()) || status.userId() == null
                    || status.userId() != token.userId())) {
            // A genuine signature over ids queue-service does not hold together: refuse, never guess.
            log.warn("Token {} names user {}, queue-service says user {}", token.tokenId(), token.userId(), status.userId());
            return Mono.error(ProblemException.tokenInvalid());
        }
        return switch (status.state()) {
            case ACTIVE -> {
                remember(token.tokenId(), status.activeUntil(), askedAt);
                yield Mono.empty();
            }
            case WAITING -> Mono.error(ProblemException.queueNotAdmitted());
            case EXPIRED -> Mono.error(ProblemException.tokenExpired());
            case UNKNOWN -> Mono.error(ProblemException.tokenInvalid());
        };
    }

    private void remember(UUID tokenId, Instant until, Instant askedAt) {
        if (until == null) {
            return; // no end given, so no bound to cache within
        }
        Instant validUntil = askedAt.plus(cacheMaxAge);
        if (until.isBefore(validUntil)) {
            validUntil = until;
        }
        if (clock.instant().isBefore(validUntil)) {
            activeUntil.put(tokenId, validUntil);
        }
    }

    private static long toNanos(Instant instant) {
        return TimeUnit.SECONDS.toNanos(instant.getEpochSecond()) + instant.getNano();
    }
}
