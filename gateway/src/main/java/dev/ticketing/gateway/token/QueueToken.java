package dev.ticketing.gateway.token;

import java.time.Instant;
import java.util.UUID;

/** A queue token whose signature and expiry the gateway has verified. */
public record QueueToken(UUID tokenId, long userId, Instant expiresAt) {
}
