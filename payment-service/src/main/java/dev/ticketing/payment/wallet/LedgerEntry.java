package dev.ticketing.payment.wallet;

import java.time.Instant;

/**
 * A ledger entry as B3 shows it (DESIGN section 3).
 *
 * @param amount    signed: a payment is negative
 * @param reference the charge id (CHARGE) or the payment id (PAYMENT, REFUND)
 */
public record LedgerEntry(LedgerType type, long amount, long balanceAfter, long reference, Instant occurredAt) {
}
