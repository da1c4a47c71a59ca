package dev.ticketing.events;

/** Why a queue token ended. */
public enum TokenExpiryReason {
    /** The token's holder paid; the token is spent. */
    PAYMENT_COMPLETED,
    /** The token was ACTIVE for the whole active TTL. */
    ACTIVE_TTL,
    /** The token was WAITING and its holder stopped polling. */
    ABANDONED
}
