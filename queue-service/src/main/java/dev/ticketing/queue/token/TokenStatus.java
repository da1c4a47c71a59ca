package dev.ticketing.queue.token;

/** Where a queue token stands: waiting its turn, let in, or ended (paid, timed out or dropped). */
public enum TokenStatus {
    WAITING, ACTIVE, EXPIRED
}
