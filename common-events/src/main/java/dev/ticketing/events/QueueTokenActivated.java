package dev.ticketing.events;

/**
 * A waiting token was admitted (became ACTIVE).
 *
 * @param waitedMillis time from issue to admission, in milliseconds
 */
public record QueueTokenActivated(
        String tokenId,
        long userId,
        long waitedMillis) implements QueueEvent {

    public QueueTokenActivated {
        Checks.notBlank(tokenId, "tokenId");
        Checks.positive(userId, "userId");
        Checks.notNegative(waitedMillis, "waitedMillis");
    }
}
