package dev.ticketing.payment.payment;

import dev.ticketing.events.RejectionReason;
import jakarta.persistence.LockModeType;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

interface PaymentRepository extends JpaRepository<Payment, Long> {

    /** Reads and locks a reservation's payment, so concurrent attempts to pay it queue up. */
    @Lock(LockModeType.PESSIMISTIC_WRITE)
    @Query("select p from Payment p where p.reservationId = :reservationId")
    Optional<Payment> lockByReservationId(@Param("reservationId") long reservationId);

    boolean existsByReservationId(long reservationId);

    /** COMPLETED to REFUNDED, once: the second delivery of a rejection finds nothing to change. */
    @Modifying(flushAutomatically = true, clearAutomatically = true)
    @Query("update Payment p set p.status = dev.ticketing.payment.payment.PaymentStatus.REFUNDED, "
            + "p.refundedAt = :now, p.refundReason = :reason "
            + "where p.id = :id and p.status = dev.ticketing.payment.payment.PaymentStatus.COMPLETED")
    int markRefunded(@Param("id") long paymentId, @Param("reason") RejectionReason reason, @Param("now") Instant now);

    /** A pending payment whose reservation ended unpaid; a paid one is left alone. */
    @Modifying(flushAutomatically = true, clearAutomatically = true)
    @Query("update Payment p set p.status = :ended, p.endedAt = :now "
            + "where p.reservationId = :reservationId and p.status = dev.ticketing.payment.payment.PaymentStatus.PENDING")
    int endPending(@Param("reservationId") long reservationId, @Param("ended") PaymentStatus ended, @Param("now") Instant now);

    /** One page of a user's paid payments, newest first; one more row than a page tells whether another follows. */
    @Query(value = "SELECT * FROM payment WHERE user_id = :userId AND paid_at IS NOT NULL "
            + "ORDER BY paid_at DESC, payment_id DESC LIMIT :limit OFFSET :offset", nativeQuery = true)
    List<Payment> paidBy(@Param("userId") long userId, @Param("offset") long offset, @Param("limit") int limit);
}
