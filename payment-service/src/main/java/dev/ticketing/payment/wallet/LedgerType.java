package dev.ticketing.payment.wallet;

/** Why a balance changed. */
public enum LedgerType {
    CHARGE, PAYMENT, REFUND
}
