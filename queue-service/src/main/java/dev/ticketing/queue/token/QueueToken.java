package dev.ticketing.queue.token;

import dev.ticketing.events.QueueTokenActivated;
import dev.ticketing.events.QueueTokenExpired;
import dev.ticketing.events.TokenExpiryReason;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Duration;
import java.time.Instant;

/**
 * A place in the waiting queue. The aggregate owns its transitions: WAITING to ACTIVE on
 * admission, WAITING or ACTIVE to EXPIRED (paid, active time over, or abandoned); each returns
 * the event it causes for the caller to record in the outbox.
 */
@Entity
@Table(name = "queue_token")
public class QueueToken {

    /** Order of arrival: assigned by the database at insert, strictly increasing. */
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long sequence;

    @Column(name = "token_id", nullable = false, updatable = false, length = 36, columnDefinition = "char(36)")
    private String tokenId;

    @Column(name = "user_id", nullable = false, updatable = false)
    private long userId;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16)
    private TokenStatus status;

    /** The signed token exactly as first issued, so a repeated join returns it byte for byte. */
    @Column(nullable = false, updatable = false, length = 1024)
    private String jwt;

    @Column(name = "issued_at", nullable = false, updatable = false)
    private Instant issuedAt;

    @Column(name = "expires_at", nullable = false, updatable = false)
    private Instant expiresAt;

    @Column(name = "last_seen_at", nullable = false)
    private Instant lastSeenAt;

    @Column(name = "activated_at")
    private Instant activatedAt;

    @Column(name = "active_until")
    private Instant activeUntil;

    @Column(name = "ended_at")
    private Instant endedAt;

    @Enumerated(EnumType.STRING)
    @Column(name = "expiry_reason", length = 32)
    private TokenExpiryReason expiryReason;

    protected QueueToken() {
    }

    /** Lets the holder in for {@code ttl} from {@code now}. */
    public QueueTokenActivated activate(Instant now, Duration ttl) {
        if (status != TokenStatus.WAITING) {
            throw new IllegalStateException("token " + tokenId + " is " + status + ", not WAITING");
        }
        status = TokenStatus.ACTIVE;
        activatedAt = now;
        activeUntil = now.plus(ttl);
        return new QueueTokenActivated(tokenId, userId, Math.max(0, Duration.between(issuedAt, now).toMillis()));
    }

    /**
     * Ends the token. An ACTIVE token whose time ran out ended at its {@code activeUntil}; any
     * other end happens {@code now}.
     */
    public QueueTokenExpired expire(TokenExpiryReason reason, Instant now) {
        if (!isLive()) {
            throw new IllegalStateException("token " + tokenId + " already ended");
        }
        status = TokenStatus.EXPIRED;
        expiryReason = reason;
        endedAt = reason == TokenExpiryReason.ACTIVE_TTL && activeUntil != null && activeUntil.isBefore(now) ? activeUntil : now;
        return new QueueTokenExpired(tokenId, userId, reason);
    }

    public boolean isLive() {
        return status != TokenStatus.EXPIRED;
    }

    /** The status as of {@code now}: an ACTIVE token past its time is EXPIRED even before the job runs. */
    public TokenStatus statusAt(Instant now) {
        return statusAt(status, activeUntil, now);
    }

    /** activeUntil for ACTIVE, when it ended for EXPIRED, null while WAITING. */
    public Instant activeUntilAt(Instant now) {
        return activeUntilAt(status, activeUntil, endedAt, now);
    }

    /** {@link #statusAt(Instant)} of stored columns, for reads that skip the entity. */
    public static TokenStatus statusAt(TokenStatus stored, Instant activeUntil, Instant now) {
        if (stored == TokenStatus.ACTIVE && !activeUntil.isAfter(now)) {
            return TokenStatus.EXPIRED;
        }
        return stored;
    }

    /** {@link #activeUntilAt(Instant)} of stored columns, for reads that skip the entity. */
    public static Instant activeUntilAt(TokenStatus stored, Instant activeUntil, Instant endedAt, Instant now) {
        return switch (statusAt(stored, activeUntil, now)) {
            case WAITING -> null;
            case ACTIVE -> activeUntil;
            case EXPIRED -> endedAt != null ? endedAt : activeUntil;
        };
    }

    public long sequence() {
        return sequence;
    }

    public String tokenId() {
        return tokenId;
    }

    public long userId() {
        return userId;
    }

    public TokenStatus status() {
        return status;
    }

    public String jwt() {
        return jwt;
    }

    public Instant issuedAt() {
        return issuedAt;
    }

    public Instant activeUntil() {
        return activeUntil;
    }
}
