package dev.ticketing.reservation.hold;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The seat holds: the authority on who holds a seat. A row per held or sold seat, keyed by
 * (schedule, seat), so a second hold of a seat fails in the database, whatever the Java code does.
 * Every method joins the caller's transaction.
 */
@Repository
public class SeatHolds {

    private final JdbcTemplate jdbc;

    SeatHolds(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Holds every seat of {@code seatNos} for the reservation, or none: the rows go in one statement,
     * in ascending seat order, so concurrent holders lock seats in the same order.
     *
     * @throws SeatsTakenException naming the requested seats that are held already
     */
    public void hold(long scheduleId, List<Integer> seatNos, long reservationId, Instant now) {
        List<Integer> ascending = new ArrayList<>(seatNos);
        Collections.sort(ascending);
        String values = ascending.stream().map(s -> "(?, ?, ?, 'HELD', ?)").collect(Collectors.joining(", "));
        List<Object> args = new ArrayList<>();
        LocalDateTime heldAt = LocalDateTime.ofInstant(now, ZoneOffset.UTC);
        for (int seatNo : ascending) {
            args.addAll(List.of(scheduleId, seatNo, reservationId, heldAt));
        }
        try {
            jdbc.update("INSERT INTO seat_hold (schedule_id, seat_no, reservation_id, status, held_at) VALUES " + values,
                    args.toArray());
        } catch (DuplicateKeyException taken) {
            // A locking read sees the holds committed after this transaction's snapshot.
            throw new SeatsTakenException(select(scheduleId, ascending, " LOCK IN SHARE MODE"));
        }
    }

    /**
     * The seats of {@code seatNos} that are held or sold, as of the transaction's snapshot: a plain
     * read that takes no locks.
     */
    public List<Integer> heldAmong(long scheduleId, List<Integer> seatNos) {
        return select(scheduleId, seatNos, "");
    }

    private List<Integer> select(long scheduleId, List<Integer> seatNos, String lock) {
        String in = seatNos.stream().map(s -> "?").collect(Collectors.joining(", "));
        List<Object> args = new ArrayList<>();
        args.add(scheduleId);
        args.addAll(seatNos);
        return jdbc.queryForList("SELECT seat_no FROM seat_hold WHERE schedule_id = ? AND seat_no IN (" + in + ") ORDER BY seat_no"
                + lock, Integer.class, args.toArray());
    }

    /** Frees the seats the reservation holds (expired or cancelled). */
    public int release(long reservationId) {
        return jdbc.update("DELETE FROM seat_hold WHERE reservation_id = ? AND status = 'HELD'", reservationId);
    }

    /** Marks the reservation's seats sold (paid). */
    public int sell(long reservationId) {
        return jdbc.update("UPDATE seat_hold SET status = 'SOLD' WHERE reservation_id = ? AND status = 'HELD'", reservationId);
    }
}
