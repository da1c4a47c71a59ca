package dev.ticketing.payment.payment;

import io.swagger.v3.oas.annotations.media.Schema;

import java.time.Instant;

/** The payment view of DESIGN section 3: only ever of a paid payment (COMPLETED or REFUNDED). */
@Schema(description = "A paid payment")
public record PaymentView(
        @Schema(example = "5") long paymentId,
        @Schema(example = "42") long reservationId,
        @Schema(example = "7") long userId,
        @Schema(description = "in won", example = "300000") long amount,
        @Schema(description = "COMPLETED, or REFUNDED when the reservation could not be confirmed",
                allowableValues = {"COMPLETED", "REFUNDED"}) PaymentStatus status,
        @Schema(description = "the balance right after paying", example = "200000") long balanceAfter,
        @Schema(example = "2026-11-24T10:16:02Z") Instant paidAt) {

    static PaymentView of(Payment p) {
        if (!p.status().wasPaid()) {
            throw new IllegalArgumentException("payment " + p.id() + " was never paid; it has no view");
        }
        return new PaymentView(p.id(), p.reservationId(), p.userId(), p.amount(), p.status(), p.balanceAfter(), p.paidAt());
    }
}
