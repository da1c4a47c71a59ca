package dev.ticketing.reservation.reservation;

import java.time.Instant;
import java.util.List;

/** The reservation view of DESIGN section 3. */
public record ReservationView(long reservationId, long userId, long concertId, long scheduleId, List<Integer> seatNos,
                              long amount, ReservationStatus status, Instant expiresAt) {

    public static ReservationView of(Reservation r) {
        return new ReservationView(r.id(), r.userId(), r.concertId(), r.scheduleId(), r.seatNos(), r.amount(),
                r.status(), r.expiresAt());
    }
}
