package dev.ticketing.messaging.consumer;

/**
 * A record that can never be processed (not an event, an unknown schema version, an invalid
 * payload). It goes straight to the dead-letter topic; retrying it would only block the partition.
 */
public class PoisonEventException extends RuntimeException {

    public PoisonEventException(String message, Throwable cause) {
        super(message, cause);
    }

    public PoisonEventException(String message) {
        super(message);
    }
}
