package dev.ticketing.web;

/**
 * The headers in which the gateway names the caller to a service, once it has verified the caller's queue token
 * (and removed any a client sent): the token's user and the token's id. Services trust them because only the gateway
 * reaches them (DESIGN section 4).
 */
public final class IdentityHeaders {

    public static final String USER_ID = "X-User-Id";
    public static final String TOKEN_ID = "X-Queue-Token-Id";

    private IdentityHeaders() {
    }
}
