package dev.ticketing.checker;

/** The schemas could not be read (no connection, a schema or table missing): nothing was judged. */
public class CannotCheckException extends RuntimeException {

    public CannotCheckException(String message, Throwable cause) {
        super(message, cause);
    }

    public CannotCheckException(String message) {
        super(message);
    }
}
