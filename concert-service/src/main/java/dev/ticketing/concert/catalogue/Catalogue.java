package dev.ticketing.concert.catalogue;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads of concerts, dates and seat layouts. Plain SQL, one statement per request: these reads
 * sit on the hot path of a sell-out and need no entity, no persistence context and no N+1.
 */
@Component
public class Catalogue {

    private final JdbcTemplate jdbc;

    Catalogue(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public boolean hasConcert(ConcertId concertId) {
        return !jdbc.queryForList("SELECT 1 FROM concert WHERE concert_id = ?", Integer.class, concertId.value()).isEmpty();
    }

    List<ConcertSummary> concerts() {
        return jdbc.query("SELECT concert_id, title, venue FROM concert ORDER BY concert_id",
                (rs, n) -> new ConcertSummary(rs.getLong("concert_id"), rs.getString("title"), rs.getString("venue")));
    }

    /**
     * The concert's dates after {@code now}, soonest first, with their available seats counted in
     * the same statement; empty if the concert is unknown. The concert row is the driving table,
     * so a known concert with no upcoming date still answers (one row, no schedule).
     */
    Optional<List<ScheduleSummary>> upcomingSchedules(ConcertId concertId, Instant now) {
        return jdbc.query("""
                SELECT sc.schedule_id, sc.starts_at, sc.time_zone, sc.seat_count,
                       COUNT(CASE WHEN st.status = 'AVAILABLE' THEN 1 END) AS available_seats
                FROM concert c
                LEFT JOIN schedule sc ON sc.concert_id = c.concert_id AND sc.starts_at > ?
                LEFT JOIN seat st ON st.schedule_id = sc.schedule_id
                WHERE c.concert_id = ?
                GROUP BY sc.schedule_id, sc.starts_at, sc.time_zone, sc.seat_count
                ORDER BY sc.starts_at, sc.schedule_id
                """, rs -> {
            if (!rs.next()) {
                return Optional.<List<ScheduleSummary>>empty();
            }
            List<ScheduleSummary> schedules = new ArrayList<>();
            do {
                long scheduleId = rs.getLong("schedule_id");
                if (!rs.wasNull()) {
                    schedules.add(new ScheduleSummary(scheduleId, instant(rs, "starts_at"), rs.getString("time_zone"),
                            rs.getInt("seat_count"), rs.getInt("available_seats")));
                }
            } while (rs.next());
            return Optional.of(schedules);
        }, LocalDateTime.ofInstant(now, ZoneOffset.UTC), concertId.value());
    }

    /** A date with its seats' grades and prices, whatever their availability; empty if unknown. */
    Optional<ScheduleLayout> layout(ScheduleId scheduleId) {
        return jdbc.query("""
                SELECT sc.concert_id, sc.starts_at, sc.seat_count, st.seat_no, st.grade, st.price
                FROM schedule sc
                LEFT JOIN seat st ON st.schedule_id = sc.schedule_id
                WHERE sc.schedule_id = ?
                ORDER BY st.seat_no
                """, rs -> {
            if (!rs.next()) {
                return Optional.<ScheduleLayout>empty();
            }
            long concertId = rs.getLong("concert_id");
            Instant startsAt = instant(rs, "starts_at");
            int seatCount = rs.getInt("seat_count");
            List<SeatLayout> seats = new ArrayList<>();
            do {
                int seatNo = rs.getInt("seat_no");
                if (!rs.wasNull()) {
                    seats.add(new SeatLayout(seatNo, rs.getString("grade"), rs.getLong("price")));
                }
            } while (rs.next());
            return Optional.of(new ScheduleLayout(scheduleId.value(), concertId, startsAt, seatCount, seats));
        }, scheduleId.value());
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        return rs.getObject(column, LocalDateTime.class).toInstant(ZoneOffset.UTC);
    }
}
