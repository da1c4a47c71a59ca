package dev.ticketing.payment.payment;

import java.time.Instant;

/** The payment view of DESIGN section 3: only ever of a paid payment (COMPLETED or REFUNDED). */
public record PaymentView(long paymentId, long reservationId, long userId, long amount, PaymentStatus status,
                          long balanceAfter, Instant paidAt) {

    static PaymentView of(Payment p) {
        if (!p.status().wasPaid()) {
            throw new IllegalArgumentException("payment " + p.id() + " was never paid; it has no view");
        }
        return new PaymentView(p.id(), p.reservationId(), p.userId(), p.amount(), p.status(), p.balanceAfter(), p.paidAt());
    }
}
