package dev.ticketing.gateway.routing;

/** What a request must show before the gateway forwards it (DESIGN section 3). */
public enum Protection {
    /** No token needed; a {@code Queue-Token} sent anyway is ignored and not forwarded. */
    OPEN,
    /** A genuine, unexpired token, checked at the gateway alone with no call to any service. */
    IDENTIFIED,
    /** Identified, and queue-service says the token is ACTIVE. */
    ADMITTED
}
