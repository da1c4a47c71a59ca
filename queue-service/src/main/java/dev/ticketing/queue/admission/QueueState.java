package dev.ticketing.queue.admission;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Duration;
import java.time.Instant;

/** The queue's run-time state, one row shared by every instance. */
@Entity
@Table(name = "queue_state")
class QueueState {

    static final int ID = 1;

    @Id
    private int id;

    @Column(nullable = false)
    private boolean paused;

    @Column(name = "admit_per_second", nullable = false)
    private int admitPerSecond;

    @Column(name = "max_active", nullable = false)
    private int maxActive;

    /** Every token at or below this sequence has left the queue (admitted or dropped). */
    @Column(name = "admitted_through", nullable = false)
    private long admittedThrough;

    @Column(name = "admitted_total", nullable = false)
    private long admittedTotal;

    @Column(name = "last_admission_at")
    private Instant lastAdmissionAt;

    protected QueueState() {
    }

    QueueState(int admitPerSecond, int maxActive) {
        this.id = ID;
        this.admitPerSecond = admitPerSecond;
        this.maxActive = maxActive;
    }

    /** Whether a tick at {@code now} may admit: not paused and not within a second of the last one. */
    boolean mayAdmit(Instant now, Duration tick) {
        // A little slack so a tick arriving a hair early on its schedule is not skipped.
        return !paused && (lastAdmissionAt == null || !now.isBefore(lastAdmissionAt.plus(tick).minusMillis(50)));
    }

    int slots(long active) {
        return (int) Math.max(0, Math.min(admitPerSecond, maxActive - active));
    }

    void admitted(int count, Instant now) {
        admittedTotal += count;
        lastAdmissionAt = now;
    }

    /** Moves the mark forward only: positions computed from it never grow. */
    void leftThrough(long sequence) {
        admittedThrough = Math.max(admittedThrough, sequence);
    }

    void pause(boolean value) {
        paused = value;
    }

    void limits(Integer newAdmitPerSecond, Integer newMaxActive) {
        if (newAdmitPerSecond != null) {
            admitPerSecond = newAdmitPerSecond;
        }
        if (newMaxActive != null) {
            maxActive = newMaxActive;
        }
    }

    boolean paused() {
        return paused;
    }

    int admitPerSecond() {
        return admitPerSecond;
    }

    int maxActive() {
        return maxActive;
    }

    long admittedThrough() {
        return admittedThrough;
    }

    long admittedTotal() {
        return admittedTotal;
    }
}
