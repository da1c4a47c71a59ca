package dev.ticketing.reservation.reservation;

import dev.ticketing.web.ProblemCode;
import dev.ticketing.messaging.web.ApiException;
import dev.ticketing.messaging.web.PathIds;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;
import java.util.List;

/**
 * payment-service's fallback when P1 arrives before ReservationCreated (DESIGN section 6): the
 * reservation view plus the queue token it was made with. Never routed by the gateway.
 */
@RestController
class InternalReservationController {

    private final Reserving reserving;

    InternalReservationController(Reserving reserving) {
        this.reserving = reserving;
    }

    @GetMapping(path = "/internal/reservations/{reservationId}", produces = MediaType.APPLICATION_JSON_VALUE)
    InternalReservationView find(@PathVariable String reservationId) {
        long id = PathIds.positive("reservationId", reservationId);
        return reserving.findForPayment(id)
                .map(InternalReservationView::of)
                .orElseThrow(() -> new ApiException(ProblemCode.RESERVATION_NOT_FOUND, "no reservation " + id));
    }

    record InternalReservationView(long reservationId, long userId, long concertId, long scheduleId,
                                   List<Integer> seatNos, long amount, ReservationStatus status, Instant expiresAt,
                                   String queueTokenId) {
        static InternalReservationView of(Reservation r) {
            return new InternalReservationView(r.id(), r.userId(), r.concertId(), r.scheduleId(), r.seatNos(),
                    r.amount(), r.status(), r.expiresAt(), r.queueTokenId());
        }
    }
}
