package dev.ticketing.events;

/**
 * A user joined the waiting queue and got a token.
 *
 * @param tokenId the token id (UUID text)
 * @param sequence the token's place in the queue: strictly increasing across joins
 */
public record QueueTokenIssued(
        String tokenId,
        long userId,
        long sequence) implements QueueEvent {

    public QueueTokenIssued {
        Checks.notBlank(tokenId, "tokenId");
        Checks.positive(userId, "userId");
        Checks.positive(sequence, "sequence");
    }
}
