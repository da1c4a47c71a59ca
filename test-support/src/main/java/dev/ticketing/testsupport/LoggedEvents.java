package dev.ticketing.testsupport;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What the application logs at a level or above while this is open, from any thread: for tests that check an
 * expected refusal is not reported as an error in the logs operators alert on.
 */
public final class LoggedEvents extends AppenderBase<ILoggingEvent> implements AutoCloseable {

    private final Level threshold;
    private final List<String> lines = new CopyOnWriteArrayList<>();

    private LoggedEvents(Level threshold) {
        this.threshold = threshold;
    }

    /** Starts recording what is logged at {@code level} ({@code "WARN"}, {@code "ERROR"}) or above. */
    public static LoggedEvents atOrAbove(String level) {
        LoggedEvents events = new LoggedEvents(Level.toLevel(level));
        events.setName("test-logged-events");
        events.setContext(root().getLoggerContext());
        events.start();
        root().addAppender(events);
        return events;
    }

    @Override
    protected void append(ILoggingEvent event) {
        if (event.getLevel().isGreaterOrEqual(threshold)) {
            lines.add(event.getLevel() + " " + event.getLoggerName() + ": " + event.getFormattedMessage());
        }
    }

    /** Each event recorded so far: level, logger and message. */
    public List<String> lines() {
        return List.copyOf(lines);
    }

    @Override
    public void close() {
        root().detachAppender(this);
        stop();
    }

    private static Logger root() {
        return (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
    }
}
