package dev.ticketing.gateway.ratelimit;

/**
 * A classic token bucket: holds up to {@code burst} permits, refilled continuously at
 * {@code perSecond}. Time is passed in (microseconds) so the caller's clock decides.
 */
final class TokenBucket {

    private final double capacity;
    private final double permitsPerMicro;
    private double permits;
    private long lastRefillMicros;

    TokenBucket(double perSecond, int burst, long nowMicros) {
        this.capacity = burst;
        this.permitsPerMicro = perSecond / 1_000_000d;
        this.permits = burst;
        this.lastRefillMicros = nowMicros;
    }

    /** Takes one permit; answers 0 when taken, else how many microseconds until one is available. */
    synchronized long tryTake(long nowMicros) {
        refill(nowMicros);
        if (permits >= 1) {
            permits -= 1;
            return 0;
        }
        return untilOne();
    }

    /** Answers 0 when a permit is there, else how many microseconds until one is; takes nothing. */
    synchronized long peek(long nowMicros) {
        refill(nowMicros);
        return permits >= 1 ? 0 : untilOne();
    }

    /** Takes one permit if there is one (what was used up cannot be refused any more). */
    synchronized void drain(long nowMicros) {
        refill(nowMicros);
        permits = Math.max(0, permits - 1);
    }

    private void refill(long nowMicros) {
        if (nowMicros > lastRefillMicros) {
            permits = Math.min(capacity, permits + (nowMicros - lastRefillMicros) * permitsPerMicro);
            lastRefillMicros = nowMicros;
        }
    }

    private long untilOne() {
        return Math.max(1, (long) Math.ceil((1 - permits) / permitsPerMicro));
    }
}
