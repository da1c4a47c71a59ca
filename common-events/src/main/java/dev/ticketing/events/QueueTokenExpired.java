package dev.ticketing.events;

/** A token ended (became EXPIRED). */
public record QueueTokenExpired(
        String tokenId,
        long userId,
        TokenExpiryReason reason) implements QueueEvent {

    public QueueTokenExpired {
        Checks.notBlank(tokenId, "tokenId");
        Checks.positive(userId, "userId");
        Checks.notNull(reason, "reason");
    }
}
