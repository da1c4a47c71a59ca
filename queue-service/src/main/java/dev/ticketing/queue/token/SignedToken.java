package dev.ticketing.queue.token;

import java.time.Instant;

/** A freshly signed queue token and the claims it carries. */
public record SignedToken(String tokenId, long userId, String jwt, Instant issuedAt, Instant expiresAt) {
}
