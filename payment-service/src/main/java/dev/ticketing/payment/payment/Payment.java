package dev.ticketing.payment.payment;

import dev.ticketing.events.PaymentCompleted;
import dev.ticketing.events.PaymentRefunded;
import dev.ticketing.events.RejectionReason;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/**
 * The payment of one reservation. Created pending (see {@link PendingPayments}), it is paid at
 * most once, before the reservation's deadline, and refunded at most once. Each transition checks
 * the current state; callers hold the row lock or make the transition a conditional UPDATE.
 */
@Entity
@Table(name = "payment")
public class Payment {

    @Id
    @Column(name = "payment_id")
    private Long id;

    @Column(name = "reservation_id", nullable = false, updatable = false)
    private long reservationId;

    @Column(name = "user_id", nullable = false, updatable = false)
    private long userId;

    @Column(name = "queue_token_id", nullable = false, updatable = false, length = 36, columnDefinition = "char(36)")
    private String queueTokenId;

    @Column(nullable = false, updatable = false)
    private long amount;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16)
    private PaymentStatus status;

    @Column(nullable = false, updatable = false)
    private Instant deadline;

    @Column(name = "created_at", nullable = false, updatable = false)
    private Instant createdAt;

    @Column(name = "paid_at")
    private Instant paidAt;

    @Column(name = "balance_after")
    private Long balanceAfter;

    @Column(name = "refunded_at")
    private Instant refundedAt;

    @Enumerated(EnumType.STRING)
    @Column(name = "refund_reason", length = 16)
    private RejectionReason refundReason;

    @Column(name = "ended_at")
    private Instant endedAt;

    protected Payment() {
    }

    /** Why this payment may not be paid now, or {@code null} if it may. */
    public Refusal refusalToPay(Instant now) {
        return switch (status) {
            case COMPLETED, REFUNDED -> Refusal.ALREADY_PAID;
            case EXPIRED -> Refusal.EXPIRED;
            case CANCELLED -> Refusal.NOT_PENDING;
            case PENDING -> now.isBefore(deadline) ? null : Refusal.EXPIRED;
        };
    }

    /** Paid: the balance is already down by {@link #amount()}. */
    public PaymentCompleted complete(long balanceAfter, Instant now) {
        Refusal refusal = refusalToPay(now);
        if (refusal != null) {
            throw new IllegalStateException("payment " + id + " cannot be paid: " + refusal);
        }
        this.status = PaymentStatus.COMPLETED;
        this.balanceAfter = balanceAfter;
        this.paidAt = now;
        return new PaymentCompleted(id(), reservationId, userId, queueTokenId, amount, now);
    }

    /** The event of a refund already applied by {@link PaymentRepository#markRefunded}. */
    public PaymentRefunded refunded() {
        if (status != PaymentStatus.REFUNDED) {
            throw new IllegalStateException("payment " + id + " is " + status + ", not refunded");
        }
        return new PaymentRefunded(id(), reservationId, userId, amount, refundReason);
    }

    public boolean isOwnedBy(long userId) {
        return this.userId == userId;
    }

    public long id() {
        if (id == null) {
            throw new IllegalStateException("payment has no id before it is saved");
        }
        return id;
    }

    public long reservationId() {
        return reservationId;
    }

    public long userId() {
        return userId;
    }

    public long amount() {
        return amount;
    }

    public PaymentStatus status() {
        return status;
    }

    public Long balanceAfter() {
        return balanceAfter;
    }

    public Instant paidAt() {
        return paidAt;
    }

    /** Why a payment is refused (DESIGN section 6). */
    public enum Refusal {
        ALREADY_PAID, EXPIRED, NOT_PENDING
    }
}
