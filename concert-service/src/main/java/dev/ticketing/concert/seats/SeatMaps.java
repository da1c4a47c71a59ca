package dev.ticketing.concert.seats;

import dev.ticketing.concert.catalogue.ScheduleId;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads of the availability view: one primary-key range of at most 50 rows per date. */
@Component
class SeatMaps {

    private final JdbcTemplate jdbc;

    SeatMaps(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** The date's seats and the concert it belongs to; empty if there is no such date. */
    Optional<OfConcert> find(ScheduleId scheduleId) {
        return jdbc.query("""
                SELECT sc.concert_id, st.seat_no, st.grade, st.price, st.status
                FROM schedule sc
                LEFT JOIN seat st ON st.schedule_id = sc.schedule_id
                WHERE sc.schedule_id = ?
                ORDER BY st.seat_no
                """, rs -> {
            if (!rs.next()) {
                return Optional.<OfConcert>empty();
            }
            long concertId = rs.getLong("concert_id");
            List<SeatMap.Seat> seats = new ArrayList<>();
            do {
                int seatNo = rs.getInt("seat_no");
                if (!rs.wasNull()) {
                    seats.add(new SeatMap.Seat(seatNo, rs.getString("grade"), rs.getLong("price"),
                            SeatStatus.valueOf(rs.getString("status"))));
                }
            } while (rs.next());
            return Optional.of(new OfConcert(concertId, new SeatMap(scheduleId.value(), seats)));
        }, scheduleId.value());
    }

    record OfConcert(long concertId, SeatMap seatMap) {
    }
}
