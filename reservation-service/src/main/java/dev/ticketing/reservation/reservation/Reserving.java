package dev.ticketing.reservation.reservation;

import dev.ticketing.web.ProblemCode;
import dev.ticketing.messaging.outbox.Outbox;
import dev.ticketing.messaging.web.ApiException;
import dev.ticketing.reservation.hold.SeatHolds;
import dev.ticketing.reservation.hold.SeatsTakenException;
import dev.ticketing.reservation.schedule.ScheduleInfo;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Holds seats, cancels holds. Each method is one transaction (joining the caller's if any): the
 * reservation, its seat holds and the outbox event commit together, the event last.
 */
@Service
public class Reserving {

    private final ReservationRepository reservations;
    private final SeatHolds holds;
    private final Outbox outbox;
    private final HoldSettings settings;
    private final Clock clock;
    private final Counter created;
    private final Counter seatsTaken;
    private final Counter limitReached;

    Reserving(ReservationRepository reservations, SeatHolds holds, Outbox outbox, HoldSettings settings, Clock clock,
              MeterRegistry meters) {
        this.reservations = reservations;
        this.holds = holds;
        this.outbox = outbox;
        this.settings = settings;
        this.clock = clock;
        this.created = holdCounter(meters, "created");
        this.seatsTaken = holdCounter(meters, "seat_unavailable");
        this.limitReached = holdCounter(meters, "reservation_limit");
    }

    /**
     * Holds {@code seatNos} (distinct, ascending, seats of the schedule) for the user, all or none.
     *
     * @throws ApiException 409 {@code RESERVATION_LIMIT} if the token has a live reservation,
     *                      409 {@code SEAT_UNAVAILABLE} naming the taken seats
     */
    @Transactional
    public ReservationView hold(long userId, String queueTokenId, ScheduleInfo schedule, List<Integer> seatNos) {
        refuseHeldSeats(schedule.scheduleId(), seatNos);
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS); // as stored: DATETIME(6)
        if (reservations.existsByLiveTokenId(queueTokenId)) {
            // The usual case of a second hold, refused by a read; two at the same moment meet the key below.
            throw limitReached();
        }
        Reservation reservation;
        try {
            reservation = reservations.saveAndFlush(Reservation.hold(userId, queueTokenId, schedule.concertId(),
                    schedule.scheduleId(), seatNos, schedule.priceOf(seatNos), now, settings.holdTtl()));
        } catch (DataIntegrityViolationException liveTokenTaken) {
            throw limitReached();
        }
        try {
            holds.hold(schedule.scheduleId(), seatNos, reservation.id(), now);
        } catch (SeatsTakenException taken) {
            seatsTaken.increment();
            throw seatUnavailable(taken.seatNos().isEmpty() ? seatNos : taken.seatNos());
        }
        outbox.publish(reservation.created());
        created.increment();
        return ReservationView.of(reservation);
    }

    private ApiException limitReached() {
        limitReached.increment();
        return new ApiException(ProblemCode.RESERVATION_LIMIT,
                "this queue token already has a live reservation; pay for it or cancel it first");
    }

    /**
     * A plain read, taking no locks: in a sell-out most attempts ask for seats that are already
     * held, and are refused without writing, locking or waiting for anyone. The key on seat_hold
     * still decides every race the read cannot see. Called outside a transaction it costs one
     * autocommit query.
     *
     * @throws ApiException 409 {@code SEAT_UNAVAILABLE} naming the held seats
     */
    public void refuseHeldSeats(long scheduleId, List<Integer> seatNos) {
        List<Integer> alreadyHeld = holds.heldAmong(scheduleId, seatNos);
        if (!alreadyHeld.isEmpty()) {
            seatsTaken.increment();
            throw seatUnavailable(alreadyHeld);
        }
    }

    /** The owner's cancel of a pending hold; a repeated cancel answers the cancelled view again. */
    @Transactional
    public ReservationView cancel(long reservationId, long userId) {
        Reservation reservation = reservations.lockById(reservationId)
                .filter(r -> owned(r, userId))
                .orElseThrow(() -> notFound(reservationId));
        if (reservation.status() == ReservationStatus.CANCELLED) {
            return ReservationView.of(reservation);
        }
        if (!reservation.isPending()) {
            throw new ApiException(ProblemCode.RESERVATION_NOT_PENDING,
                    "reservation " + reservationId + " is " + reservation.status() + " and can no longer be cancelled");
        }
        holds.release(reservationId);
        var cancelled = reservation.cancel(clock.instant());
        reservations.flush();
        outbox.publish(cancelled);
        return ReservationView.of(reservation);
    }

    /** The owner's read. */
    @Transactional(readOnly = true)
    public ReservationView find(long reservationId, long userId) {
        return reservations.findById(reservationId)
                .filter(r -> owned(r, userId))
                .map(ReservationView::of)
                .orElseThrow(() -> notFound(reservationId));
    }

    /** The reservation for payment-service's fallback, with the queue token it was made with. */
    @Transactional(readOnly = true)
    public Optional<Reservation> findForPayment(long reservationId) {
        return reservations.findById(reservationId);
    }

    static ApiException seatUnavailable(List<Integer> seatNos) {
        return new ApiException(ProblemCode.SEAT_UNAVAILABLE,
                "seats " + seatNos + " are not available", Map.of("seatNos", List.copyOf(seatNos)));
    }

    private static boolean owned(Reservation reservation, long userId) {
        if (!reservation.isOwnedBy(userId)) {
            throw new ApiException(ProblemCode.FORBIDDEN, "the reservation belongs to another user");
        }
        return true;
    }

    private static ApiException notFound(long reservationId) {
        return new ApiException(ProblemCode.RESERVATION_NOT_FOUND, "no reservation " + reservationId);
    }

    private static Counter holdCounter(MeterRegistry meters, String outcome) {
        return Counter.builder("reservation.holds").description("Hold attempts by outcome").tag("outcome", outcome)
                .register(meters);
    }
}
