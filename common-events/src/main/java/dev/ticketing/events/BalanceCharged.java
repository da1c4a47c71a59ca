package dev.ticketing.events;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * A user topped up their balance. Aggregate Wallet, keyed by userId.
 *
 * @param chargeId the charge's id, as in the ledger entry's reference
 * @param amount the amount added, in won
 * @param balanceAfter the balance right after the charge, in won
 */
public record BalanceCharged(
        long userId,
        long chargeId,
        long amount,
        long balanceAfter) implements PaymentEvent {

    public BalanceCharged {
        Checks.positive(userId, "userId");
        Checks.positive(chargeId, "chargeId");
        Checks.positive(amount, "amount");
        if (balanceAfter < amount) {
            throw new IllegalArgumentException(
                    "balanceAfter must be at least amount " + amount + ", was " + balanceAfter);
        }
    }

    @Override
    @JsonIgnore
    public String aggregateType() {
        return WALLET_AGGREGATE_TYPE;
    }

    @Override
    @JsonIgnore
    public String aggregateId() {
        return Long.toString(userId);
    }

    @Override
    @JsonIgnore
    public String key() {
        return Long.toString(userId);
    }
}
