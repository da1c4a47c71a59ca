package dev.ticketing.messaging.consumer;

/**
 * Thrown by a handler when the failure will pass by itself (a service it needs is down): the
 * record is retried with capped backoff for as long as it lasts, never skipped.
 */
public class TransientFailureException extends RuntimeException {

    public TransientFailureException(String message, Throwable cause) {
        super(message, cause);
    }

    public TransientFailureException(String message) {
        super(message);
    }
}
