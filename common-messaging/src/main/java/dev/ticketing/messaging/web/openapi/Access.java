package dev.ticketing.messaging.web.openapi;

/**
 * What the gateway asks of a caller before it forwards a public route (DESIGN section 3). The
 * services never see the token itself: the gateway checks it and names its user and id in headers
 * of its own.
 */
public enum Access {

    /** No token needed; a {@code Queue-Token} sent anyway is ignored. */
    OPEN("open: no token needed; a `Queue-Token` sent anyway is ignored."),

    /** A genuine queue token whose {@code exp} has not passed, whatever its queue status. */
    IDENTIFIED("identified: `Queue-Token` must hold a genuine queue token whose `exp` has not passed, "
            + "whatever its queue status."),

    /** Identified, and the token's queue status is ACTIVE. */
    ADMITTED("admitted: `Queue-Token` must hold a genuine queue token whose queue status is `ACTIVE` "
            + "(let in from the waiting queue, and not yet expired).");

    private final String description;

    Access(String description) {
        this.description = description;
    }

    /** One sentence for the operation's description, in Markdown. */
    public String description() {
        return description;
    }

    public boolean needsToken() {
        return this != OPEN;
    }
}
