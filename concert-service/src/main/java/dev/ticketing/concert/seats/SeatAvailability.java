package dev.ticketing.concert.seats;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The seat availability view, moved by reservation events. reservation-service is the authority
 * on holds; this view follows it, and each transition is one conditional UPDATE whose WHERE
 * clause is the rule, so a redelivered, stale or out-of-place event changes nothing:
 * <ul>
 *   <li>hold: AVAILABLE, or HELD by an older reservation, becomes HELD by this one;</li>
 *   <li>sell: AVAILABLE, or HELD by this or an older reservation, becomes SOLD to this one;</li>
 *   <li>release: HELD by this reservation becomes AVAILABLE; a seat held by another reservation
 *   or sold is left alone.</li>
 * </ul>
 * "Older" relies on reservation ids growing with time: a seat can only be held again after its
 * previous hold ended, so a later hold always has the larger id. Taking a seat from an older hold
 * covers a release that has not arrived (re-driven later from the dead-letter topic, say); the
 * release then finds the seat no longer its own and is ignored. SOLD is final.
 * <p>
 * Runs inside the consumer's transaction, which also records the event id.
 */
@Component
class SeatAvailability {

    private static final Logger log = LoggerFactory.getLogger(SeatAvailability.class);

    private final NamedParameterJdbcTemplate jdbc;

    SeatAvailability(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    void hold(long scheduleId, long reservationId, List<Integer> seatNos) {
        apply("hold", scheduleId, reservationId, seatNos, """
                UPDATE seat SET status = 'HELD', reservation_id = :reservationId
                WHERE schedule_id = :scheduleId AND seat_no IN (:seatNos)
                  AND (status = 'AVAILABLE' OR (status = 'HELD' AND reservation_id < :reservationId))
                """);
    }

    void sell(long scheduleId, long reservationId, List<Integer> seatNos) {
        apply("sell", scheduleId, reservationId, seatNos, """
                UPDATE seat SET status = 'SOLD', reservation_id = :reservationId
                WHERE schedule_id = :scheduleId AND seat_no IN (:seatNos)
                  AND (status = 'AVAILABLE' OR (status = 'HELD' AND reservation_id <= :reservationId))
                """);
    }

    void release(long scheduleId, long reservationId, List<Integer> seatNos) {
        apply("release", scheduleId, reservationId, seatNos, """
                UPDATE seat SET status = 'AVAILABLE', reservation_id = NULL
                WHERE schedule_id = :scheduleId AND seat_no IN (:seatNos)
                  AND status = 'HELD' AND reservation_id = :reservationId
                """);
    }

    private void apply(String transition, long scheduleId, long reservationId, List<Integer> seatNos, String sql) {
        MapSqlParameterSource params = new MapSqlParameterSource()
                .addValue("scheduleId", scheduleId)
                .addValue("reservationId", reservationId)
                .addValue("seatNos", seatNos);
        int changed = jdbc.update(sql, params);
        if (changed < seatNos.size()) {
            explainSkipped(transition, scheduleId, reservationId, seatNos, params, changed);
        }
    }

    /** Off the normal path only: says which seats were left alone and why. */
    private void explainSkipped(String transition, long scheduleId, long reservationId, List<Integer> seatNos,
                                MapSqlParameterSource params, int changed) {
        Map<Integer, String> current = new TreeMap<>();
        jdbc.query("SELECT seat_no, status, reservation_id FROM seat WHERE schedule_id = :scheduleId AND seat_no IN (:seatNos)",
                params, rs -> {
                    long holder = rs.getLong("reservation_id");
                    String by = rs.wasNull() ? "" : " by " + holder;
                    current.put(rs.getInt("seat_no"), rs.getString("status") + by);
                });
        if (current.isEmpty()) {
            log.warn("Reservation {}: {} ignored, schedule {} has none of seats {} (unknown schedule?)",
                    reservationId, transition, scheduleId, seatNos);
            return;
        }
        List<Integer> unknown = seatNos.stream().filter(seatNo -> !current.containsKey(seatNo)).sorted().toList();
        if (!unknown.isEmpty()) {
            log.warn("Reservation {}: {} ignored for seats {} outside schedule {}", reservationId, transition, unknown, scheduleId);
        }
        if (current.size() > changed) {
            log.info("Reservation {}: {} on schedule {} left seats in a state it does not apply to: {}",
                    reservationId, transition, scheduleId, current);
        }
    }
}
