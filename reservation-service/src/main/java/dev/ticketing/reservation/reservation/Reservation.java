package dev.ticketing.reservation.reservation;

import dev.ticketing.events.RejectionReason;
import dev.ticketing.events.ReservationCancelled;
import dev.ticketing.events.ReservationConfirmed;
import dev.ticketing.events.ReservationCreated;
import dev.ticketing.events.ReservationEvent;
import dev.ticketing.events.ReservationExpired;
import dev.ticketing.events.ReservationRejected;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Seats held for one user and queue token until paid, released or expired. The aggregate owns its
 * transitions; each checks the current state and returns the event it causes, for the caller to
 * record in the outbox after the seat holds have changed.
 */
@Entity
@Table(name = "reservation")
public class Reservation {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    @Column(name = "reservation_id")
    private Long id;

    @Column(name = "user_id", nullable = false, updatable = false)
    private long userId;

    @Column(name = "queue_token_id", nullable = false, updatable = false, length = 36, columnDefinition = "char(36)")
    private String queueTokenId;

    @Column(name = "live_token_id", length = 36, columnDefinition = "char(36)")
    private String liveTokenId;

    @Column(name = "concert_id", nullable = false, updatable = false)
    private long concertId;

    @Column(name = "schedule_id", nullable = false, updatable = false)
    private long scheduleId;

    @Convert(converter = SeatNosConverter.class)
    @Column(name = "seat_nos", nullable = false, updatable = false, length = 32)
    private List<Integer> seatNos;

    @Column(nullable = false, updatable = false)
    private long amount;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16)
    private ReservationStatus status;

    @Column(name = "created_at", nullable = false, updatable = false)
    private Instant createdAt;

    @Column(name = "expires_at", nullable = false, updatable = false)
    private Instant expiresAt;

    @Column(name = "ended_at")
    private Instant endedAt;

    @Column(name = "payment_id")
    private Long paymentId;

    protected Reservation() {
    }

    private Reservation(long userId, String queueTokenId, long concertId, long scheduleId, List<Integer> seatNos,
                        long amount, Instant now, Duration holdTtl) {
        this.userId = userId;
        this.queueTokenId = queueTokenId;
        this.liveTokenId = queueTokenId;
        this.concertId = concertId;
        this.scheduleId = scheduleId;
        this.seatNos = List.copyOf(seatNos);
        this.amount = amount;
        this.status = ReservationStatus.PENDING_PAYMENT;
        this.createdAt = now;
        this.expiresAt = now.plus(holdTtl);
    }

    /** A new hold of {@code seatNos} (ascending, distinct), payable until {@code now + holdTtl}. */
    public static Reservation hold(long userId, String queueTokenId, long concertId, long scheduleId,
                                   List<Integer> seatNos, long amount, Instant now, Duration holdTtl) {
        return new Reservation(userId, queueTokenId, concertId, scheduleId, seatNos, amount, now, holdTtl);
    }

    /** The event of this reservation's creation; the id exists once the row is inserted. */
    public ReservationCreated created() {
        return new ReservationCreated(id(), userId, queueTokenId, concertId, scheduleId, seatNos, amount, expiresAt);
    }

    /** The unpaid hold ran out. */
    public ReservationExpired expire(Instant now) {
        requirePending("expire");
        end(ReservationStatus.EXPIRED, now);
        return new ReservationExpired(id(), userId, scheduleId, seatNos);
    }

    /** The owner released the unpaid hold. */
    public ReservationCancelled cancel(Instant now) {
        requirePending("cancel");
        end(ReservationStatus.CANCELLED, now);
        return new ReservationCancelled(id(), userId, scheduleId, seatNos);
    }

    /**
     * A payment completed for this reservation: confirms a pending one; for one already expired or
     * cancelled the payment is rejected (and will be refunded); for one already confirmed by this
     * payment nothing happens.
     */
    public Optional<ReservationEvent> paid(long paymentId, Instant now) {
        return switch (status) {
            case PENDING_PAYMENT -> {
                status = ReservationStatus.CONFIRMED;
                this.paymentId = paymentId;
                endedAt = now;
                yield Optional.of(new ReservationConfirmed(id(), userId, scheduleId, seatNos, paymentId));
            }
            case EXPIRED -> Optional.of(new ReservationRejected(id(), userId, scheduleId, paymentId, RejectionReason.HOLD_EXPIRED));
            case CANCELLED -> Optional.of(new ReservationRejected(id(), userId, scheduleId, paymentId, RejectionReason.CANCELLED));
            case CONFIRMED -> Optional.empty();
        };
    }

    /** Whether {@code userId} may read or cancel this reservation. */
    public boolean isOwnedBy(long userId) {
        return this.userId == userId;
    }

    public boolean isPending() {
        return status == ReservationStatus.PENDING_PAYMENT;
    }

    private void end(ReservationStatus ended, Instant now) {
        status = ended;
        endedAt = now;
        liveTokenId = null;
    }

    private void requirePending(String action) {
        if (status != ReservationStatus.PENDING_PAYMENT) {
            throw new IllegalStateException("cannot " + action + " reservation " + id + ": it is " + status);
        }
    }

    public long id() {
        if (id == null) {
            throw new IllegalStateException("reservation has no id before it is saved");
        }
        return id;
    }

    public long userId() {
        return userId;
    }

    public String queueTokenId() {
        return queueTokenId;
    }

    public long concertId() {
        return concertId;
    }

    public long scheduleId() {
        return scheduleId;
    }

    public List<Integer> seatNos() {
        return seatNos;
    }

    public long amount() {
        return amount;
    }

    public ReservationStatus status() {
        return status;
    }

    public Instant expiresAt() {
        return expiresAt;
    }

    public Long paymentId() {
        return paymentId;
    }
}
