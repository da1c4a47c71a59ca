package dev.ticketing.payment.wallet;

import io.swagger.v3.oas.annotations.media.Schema;

import java.time.Instant;

/**
 * A ledger entry as B3 shows it (DESIGN section 3).
 *
 * @param amount    signed: a payment is negative
 * @param reference the charge id (CHARGE) or the payment id (PAYMENT, REFUND)
 */
public record LedgerEntry(
        @Schema(description = "CHARGE, PAYMENT or REFUND") LedgerType type,
        @Schema(description = "in won, signed: a payment is negative", example = "-300000") long amount,
        @Schema(description = "the balance after this change", example = "200000") long balanceAfter,
        @Schema(description = "the charge id (CHARGE) or the payment id (PAYMENT, REFUND)", example = "5")
        long reference,
        @Schema(example = "2026-11-24T10:16:02Z") Instant occurredAt) {
}
