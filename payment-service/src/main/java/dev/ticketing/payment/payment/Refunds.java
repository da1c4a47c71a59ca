package dev.ticketing.payment.payment;

import dev.ticketing.events.PaymentRefunded;
import dev.ticketing.events.RejectionReason;
import dev.ticketing.messaging.outbox.Outbox;
import dev.ticketing.payment.wallet.Wallets;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Gives a rejected payment back: one conditional COMPLETED to REFUNDED transition, the balance up
 * with its REFUND ledger entry, and PaymentRefunded, in the caller's transaction. A payment that
 * is not COMPLETED (refunded already, or never paid) changes nothing.
 */
@Service
public class Refunds {

    private static final Logger log = LoggerFactory.getLogger(Refunds.class);

    private final PaymentRepository payments;
    private final Wallets wallets;
    private final Outbox outbox;
    private final Clock clock;
    private final Counter refunded;

    Refunds(PaymentRepository payments, Wallets wallets, Outbox outbox, Clock clock, MeterRegistry meters) {
        this.payments = payments;
        this.wallets = wallets;
        this.outbox = outbox;
        this.clock = clock;
        this.refunded = meters.counter("payment.refunds");
    }

    /** Ends a pending payment whose reservation expired or was cancelled; a paid one is left to its refund. */
    @Transactional
    public void endUnpaid(long reservationId, PaymentStatus ended) {
        payments.endPending(reservationId, ended, clock.instant());
    }

    /** @return whether this call refunded the payment */
    @Transactional
    public boolean refund(long paymentId, long reservationId, RejectionReason reason) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        if (payments.markRefunded(paymentId, reason, now) == 0) {
            payments.findById(paymentId).ifPresentOrElse(
                    p -> {
                        if (p.status() != PaymentStatus.REFUNDED) {
                            log.warn("Payment {} of reservation {} is {}: nothing to refund", paymentId, reservationId, p.status());
                        }
                    },
                    () -> log.warn("Rejection names unknown payment {} of reservation {}", paymentId, reservationId));
            return false;
        }
        Payment payment = payments.findById(paymentId).orElseThrow();
        wallets.refund(payment.userId(), payment.amount(), paymentId, now);
        PaymentRefunded event = payment.refunded();
        outbox.publish(event);
        refunded.increment();
        return true;
    }
}
