package dev.ticketing.events;

/** Why a payment could not confirm its reservation (and was refunded). */
public enum RejectionReason {
    /** The hold ran out before the payment arrived. */
    HOLD_EXPIRED,
    /** The reservation was cancelled; a cancel racing a payment wins. */
    CANCELLED
}
