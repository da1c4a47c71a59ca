package dev.ticketing.events;

import java.util.Optional;

/**
 * A record value that cannot be read as an event. Consumers skip {@link Kind#UNKNOWN_EVENT_TYPE}
 * and dead-letter every other kind, since retrying cannot fix them.
 */
public class EventFormatException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** What was wrong with the record value. */
    public enum Kind {
        /** Not JSON, not an object, or an envelope field missing, null or of the wrong type. */
        MALFORMED,
        /** A well-formed envelope whose eventType this version of the contract does not know. */
        UNKNOWN_EVENT_TYPE,
        /** A known eventType with a schemaVersion other than the current one. */
        UNSUPPORTED_SCHEMA_VERSION,
        /** The payload is missing fields, has fields of the wrong type, or breaks an invariant. */
        INVALID_PAYLOAD
    }

    private final Kind kind;
    private final String eventType;

    public EventFormatException(Kind kind, String eventType, String message) {
        this(kind, eventType, message, null);
    }

    public EventFormatException(Kind kind, String eventType, String message, Throwable cause) {
        super(kind + ": " + message, cause);
        this.kind = Checks.notNull(kind, "kind");
        this.eventType = eventType;
    }

    public Kind kind() {
        return kind;
    }

    /** The envelope's eventType, when it could be read (even if it is unknown). */
    public Optional<String> eventType() {
        return Optional.ofNullable(eventType);
    }
}
