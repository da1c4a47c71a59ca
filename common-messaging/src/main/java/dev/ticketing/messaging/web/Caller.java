package dev.ticketing.messaging.web;

import dev.ticketing.web.IdentityHeaders;
import dev.ticketing.web.ProblemCode;

/**
 * Who is asking: the user and queue token the gateway names in {@link IdentityHeaders}. A controller method takes one
 * as a parameter ({@link CallerArgumentResolver}); a request without them is answered 401 {@code TOKEN_MISSING}
 * before the method runs, as the order of checks wants (DESIGN section 3: the token before the request's syntax).
 *
 * @param tokenId the queue token's id, or null if the gateway named none (routes that need only the user)
 */
public record Caller(long userId, String tokenId) {

    /** The token's id, for routes that act for one token (a hold); 401 {@code TOKEN_MISSING} without one. */
    public String requireTokenId() {
        if (tokenId == null) {
            throw new ApiException(ProblemCode.TOKEN_MISSING, "a queue token is required");
        }
        return tokenId;
    }

    /** {@code requested}, the user a path names, if it is the caller; 403 {@code FORBIDDEN} otherwise. */
    public long sameUser(long requested, String what) {
        if (requested != userId) {
            throw new ApiException(ProblemCode.FORBIDDEN, "a user may only see and change their own " + what);
        }
        return requested;
    }
}
