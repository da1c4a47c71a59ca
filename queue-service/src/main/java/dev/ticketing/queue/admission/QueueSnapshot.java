package dev.ticketing.queue.admission;

/**
 * The queue's state as last read, for answering status polls without touching the database.
 *
 * @param admissionRate admissions per second measured over the last minute, or the configured
 *                      rate until there is a measurement
 */
public record QueueSnapshot(boolean paused, int admitPerSecond, int maxActive, long admittedThrough,
                            long admittedTotal, double admissionRate) {

    /** This snapshot with the progress read now ({@link QueueMonitor#fresh}). */
    QueueSnapshot withProgress(boolean pausedNow, long admittedThroughNow) {
        return new QueueSnapshot(pausedNow, admitPerSecond, maxActive, Math.max(admittedThrough, admittedThroughNow),
                admittedTotal, admissionRate);
    }

    /** DESIGN section 4: max(1, sequence - admittedThrough); an upper bound that never grows. */
    public long positionOf(long sequence) {
        return Math.max(1, sequence - admittedThrough);
    }

    /** position / admission rate, rounded up; null while paused or while nothing is let in. */
    public Long estimatedWaitSeconds(long position) {
        if (paused || admissionRate <= 0) {
            return null;
        }
        return (long) Math.ceil(position / admissionRate);
    }
}
