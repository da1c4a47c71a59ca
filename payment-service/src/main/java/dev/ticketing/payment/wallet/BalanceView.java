package dev.ticketing.payment.wallet;

/** B1 and B2's answer. */
record BalanceView(long userId, long balance) {
}
