package dev.ticketing.checker;

/**
 * The money and seat invariants of a settled saga (DESIGN sections 5, 6 and 8). Where two could
 * report the same fault, one owns it, so each fault is reported once: a payment of a CONFIRMED
 * reservation is judged by {@link #CONFIRMED_RESERVATION_PAID_AND_SOLD} alone.
 */
public enum Invariant {

    WALLET_MATCHES_LEDGER(
            "a wallet's balance is the sum of its user's ledger entries and never negative; "
                    + "no ledger without a wallet"),
    CONFIRMED_RESERVATION_PAID_AND_SOLD(
            "a CONFIRMED reservation has exactly one COMPLETED payment, the one its payment_id names, "
                    + "of its amount, user and queue token; each of its seats is SOLD to it in concert.seat "
                    + "and in reservation.seat_hold"),
    SEAT_TAKEN_BY_LIVE_RESERVATION(
            "a SOLD seat names a CONFIRMED reservation holding that seat, a HELD seat a PENDING_PAYMENT one "
                    + "(concert.seat and reservation.seat_hold alike); a PENDING_PAYMENT reservation's seats are "
                    + "HELD by it in both"),
    PAYMENT_AGREES_WITH_RESERVATION(
            "a payment's reservation exists; a payment of a PENDING_PAYMENT reservation is PENDING; "
                    + "a payment of an EXPIRED or CANCELLED reservation is REFUNDED, EXPIRED or CANCELLED, "
                    + "never COMPLETED or PENDING"),
    LEDGER_MATCHES_PAYMENTS(
            "a COMPLETED payment has one PAYMENT entry (-amount, same user) and no REFUND; a REFUNDED one "
                    + "a PAYMENT and a REFUND (+amount); any other payment neither; no entry names a missing payment"),
    LEDGER_MATCHES_CHARGES(
            "each balance_charge has exactly one CHARGE entry of its user and amount; no CHARGE entry names "
                    + "a missing charge"),
    PAID_TOKEN_EXPIRED(
            "the queue token of each COMPLETED payment of a CONFIRMED reservation is EXPIRED");

    private final String rule;

    Invariant(String rule) {
        this.rule = rule;
    }

    /** What the invariant demands, in a sentence. */
    public String rule() {
        return rule;
    }
}
