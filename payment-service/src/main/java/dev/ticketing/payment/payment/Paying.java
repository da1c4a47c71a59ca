package dev.ticketing.payment.payment;

import dev.ticketing.web.ProblemCode;
import dev.ticketing.events.PaymentCompleted;
import dev.ticketing.messaging.outbox.Outbox;
import dev.ticketing.messaging.web.ApiException;
import dev.ticketing.payment.Requests;
import dev.ticketing.payment.reservation.ReservationDirectory;
import dev.ticketing.payment.reservation.ReservationInfo;
import dev.ticketing.payment.wallet.Wallets;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * P1 pays a reservation from the balance; P2 and P3 read paid payments. Paying is one transaction:
 * the payment row locked (concurrent attempts queue on it), the balance down by a conditional
 * UPDATE with its ledger entry, the payment COMPLETED and PaymentCompleted in the outbox, last.
 */
@Service
class Paying {

    private static final Logger log = LoggerFactory.getLogger(Paying.class);

    private final PaymentRepository payments;
    private final PendingPayments pending;
    private final ReservationDirectory reservations;
    private final Wallets wallets;
    private final Outbox outbox;
    private final Clock clock;
    private final MeterRegistry meters;

    Paying(PaymentRepository payments, PendingPayments pending, ReservationDirectory reservations, Wallets wallets,
           Outbox outbox, Clock clock, MeterRegistry meters) {
        this.payments = payments;
        this.pending = pending;
        this.reservations = reservations;
        this.wallets = wallets;
        this.outbox = outbox;
        this.clock = clock;
        this.meters = meters;
    }

    /**
     * Makes sure the reservation's payment exists before paying: if ReservationCreated has not
     * arrived yet, the reservation is asked of reservation-service and its payment created as the
     * event would have. Runs before, and outside, the paying transaction: no connection is held
     * during the call.
     *
     * @throws ApiException 404 {@code RESERVATION_NOT_FOUND}, 503 if reservation-service cannot answer
     */
    void learnOf(long reservationId) {
        if (payments.existsByReservationId(reservationId)) {
            return;
        }
        ReservationInfo reservation = reservations.find(reservationId).orElseThrow(() -> notFound(reservationId));
        PaymentStatus status = switch (reservation.status()) {
            case "PENDING_PAYMENT" -> PaymentStatus.PENDING;
            case "EXPIRED" -> PaymentStatus.EXPIRED;
            case "CANCELLED" -> PaymentStatus.CANCELLED;
            // Confirmed by a payment this service made, whose row therefore exists: not reachable
            // while the database is whole; refuse rather than take money twice.
            default -> throw new ApiException(ProblemCode.ALREADY_PAID, "reservation " + reservationId + " is " + reservation.status());
        };
        pending.createIfAbsent(reservationId, reservation.userId(), reservation.queueTokenId(), reservation.amount(),
                reservation.expiresAt(), status, clock.instant());
    }

    /**
     * @throws ApiException 403 {@code FORBIDDEN} for another user's reservation, 404
     *                      {@code RESERVATION_NOT_FOUND}, 409 {@code ALREADY_PAID},
     *                      {@code RESERVATION_EXPIRED}, {@code RESERVATION_NOT_PENDING} or
     *                      {@code INSUFFICIENT_BALANCE}
     */
    @Transactional
    PaymentView pay(long userId, long reservationId) {
        Payment payment = payments.lockByReservationId(reservationId).orElseThrow(() -> notFound(reservationId));
        if (!payment.isOwnedBy(userId)) {
            throw Requests.forbidden("the reservation belongs to another user");
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS); // as stored: DATETIME(6)
        Payment.Refusal refusal = payment.refusalToPay(now);
        if (refusal != null) {
            count(refusal.name().toLowerCase());
            throw switch (refusal) {
                case ALREADY_PAID -> new ApiException(ProblemCode.ALREADY_PAID, "reservation " + reservationId + " is paid already");
                case EXPIRED -> new ApiException(ProblemCode.RESERVATION_EXPIRED,
                        "the hold of reservation " + reservationId + " ran out before payment");
                case NOT_PENDING -> new ApiException(ProblemCode.RESERVATION_NOT_PENDING,
                        "reservation " + reservationId + " was cancelled");
            };
        }
        long balanceAfter = wallets.debit(userId, payment.amount(), payment.id(), now).orElseThrow(() -> {
            count("insufficient_balance");
            return new ApiException(ProblemCode.INSUFFICIENT_BALANCE, "the balance " + wallets.balance(userId)
                    + " does not cover the amount " + payment.amount());
        });
        PaymentCompleted completed = payment.complete(balanceAfter, now);
        payments.flush();
        outbox.publish(completed);
        count("completed");
        log.info("Payment {} completed reservation {} of user {}: {} charged, balance {}",
                payment.id(), reservationId, userId, payment.amount(), balanceAfter);
        return PaymentView.of(payment);
    }

    /** P2: a paid payment, for its owner; an unpaid one is not shown. */
    @Transactional(readOnly = true)
    PaymentView find(long userId, long paymentId) {
        Payment payment = payments.findById(paymentId)
                .filter(p -> p.status().wasPaid())
                .orElseThrow(() -> new ApiException(ProblemCode.PAYMENT_NOT_FOUND, "no payment " + paymentId));
        if (!payment.isOwnedBy(userId)) {
            throw Requests.forbidden("the payment belongs to another user");
        }
        return PaymentView.of(payment);
    }

    /** P3: a page of the user's paid payments, newest first, and one more row if another page follows. */
    @Transactional(readOnly = true)
    List<PaymentView> paidBy(long userId, long offset, int limit) {
        return payments.paidBy(userId, offset, limit).stream().map(PaymentView::of).toList();
    }

    private void count(String outcome) {
        meters.counter("payment.payments", "outcome", outcome).increment();
    }

    private static ApiException notFound(long reservationId) {
        return new ApiException(ProblemCode.RESERVATION_NOT_FOUND, "no reservation " + reservationId);
    }
}
