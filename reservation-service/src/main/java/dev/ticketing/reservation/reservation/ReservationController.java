package dev.ticketing.reservation.reservation;

import dev.ticketing.messaging.web.Caller;
import dev.ticketing.web.ProblemCode;
import dev.ticketing.messaging.idempotency.IdempotentCommands;
import dev.ticketing.messaging.web.ApiException;
import dev.ticketing.messaging.web.PathIds;
import dev.ticketing.messaging.web.openapi.Access;
import dev.ticketing.messaging.web.openapi.PathId;
import dev.ticketing.messaging.web.openapi.PublicApi;
import dev.ticketing.reservation.schedule.ScheduleCatalogue;
import dev.ticketing.reservation.schedule.ScheduleInfo;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.time.Clock;
import java.util.HashSet;
import java.util.List;

import static dev.ticketing.web.ProblemCode.FORBIDDEN;
import static dev.ticketing.web.ProblemCode.RESERVATION_LIMIT;
import static dev.ticketing.web.ProblemCode.RESERVATION_NOT_FOUND;
import static dev.ticketing.web.ProblemCode.RESERVATION_NOT_PENDING;
import static dev.ticketing.web.ProblemCode.SCHEDULE_CLOSED;
import static dev.ticketing.web.ProblemCode.SCHEDULE_NOT_FOUND;
import static dev.ticketing.web.ProblemCode.SEAT_UNAVAILABLE;

/**
 * R1 hold, R2 read, R3 cancel (DESIGN section 3). The gateway has checked the token and names its
 * user and id in {@code X-User-Id} and {@code X-Queue-Token-Id}.
 */
@RestController
@RequestMapping(path = "/api/v1/reservations", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Reservations", description = "Holding seats until they are paid for, and letting them go")
class ReservationController {


    private final Reserving reserving;
    private final ScheduleCatalogue catalogue;
    private final IdempotentCommands commands;
    private final Clock clock;

    ReservationController(Reserving reserving, ScheduleCatalogue catalogue, IdempotentCommands commands, Clock clock) {
        this.reserving = reserving;
        this.catalogue = catalogue;
        this.commands = commands;
        this.clock = clock;
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    @PublicApi(access = Access.ADMITTED,
            problems = {SCHEDULE_NOT_FOUND, SEAT_UNAVAILABLE, RESERVATION_LIMIT, SCHEDULE_CLOSED})
    @Operation(summary = "Hold seats (R1)", description = """
            Holds 1 to 4 seats of one date, all or none, for a few minutes (`expiresAt`): pay for them \
            before then (P1), or they are let go. A token holds one live reservation at a time.""")
    @ApiResponse(responseCode = "201", description = "the seats are held for the caller, waiting for payment",
            content = @Content(schema = @Schema(implementation = ReservationView.class)))
    ResponseEntity<?> hold(Caller caller,
                           @RequestHeader(name = IdempotentCommands.HEADER, required = false) String idempotencyKey,
                           @Valid @RequestBody HoldRequest request) {
        List<Integer> seatNos = request.ascendingDistinctSeats();
        long user = caller.userId();
        String tokenId = caller.requireTokenId();
        ScheduleInfo schedule = catalogue.find(request.scheduleId());
        if (!schedule.hasSeats(seatNos)) {
            throw ApiException.invalidRequest("seatNos must be seats 1.." + schedule.seatCount() + " of schedule "
                    + schedule.scheduleId());
        }
        if (schedule.hasStartedAt(clock.instant())) {
            throw new ApiException(ProblemCode.SCHEDULE_CLOSED, "schedule " + schedule.scheduleId() + " has started");
        }
        List<Integer> unpriced = schedule.unpricedAmong(seatNos);
        if (!unpriced.isEmpty()) {
            // Not for sale: a hold is paid for, and its ReservationCreated carries a positive amount.
            throw Reserving.seatUnavailable(unpriced);
        }
        if (idempotencyKey == null) {
            // Most attempts in a sell-out end here, before any transaction is begun. With a key the
            // same check runs inside the command, so that its refusal is kept for replay.
            reserving.refuseHeldSeats(schedule.scheduleId(), seatNos);
        }
        try {
            return commands.run(user, "POST /reservations", idempotencyKey, request, () ->
                    ResponseEntity.status(HttpStatus.CREATED).body(reserving.hold(user, tokenId, schedule, seatNos)));
        } catch (PessimisticLockingFailureException deadlockedTwice) {
            // Lost a lock race twice to other holders of the same seats: as good as taken.
            throw Reserving.seatUnavailable(seatNos);
        }
    }

    @GetMapping("/{reservationId}")
    @PublicApi(access = Access.IDENTIFIED, problems = {FORBIDDEN, RESERVATION_NOT_FOUND})
    @Operation(summary = "Read a reservation (R2)", description = "The caller's own reservation.")
    @ApiResponse(responseCode = "200", description = "the reservation")
    ReservationView find(Caller caller,
                         @PathId(value = "the reservation", example = "42") @PathVariable String reservationId) {
        return reserving.find(PathIds.positive("reservationId", reservationId), caller.userId());
    }

    @DeleteMapping("/{reservationId}")
    @PublicApi(access = Access.IDENTIFIED, problems = {FORBIDDEN, RESERVATION_NOT_FOUND, RESERVATION_NOT_PENDING})
    @Operation(summary = "Cancel a reservation (R3)", description = """
            Lets the seats of the caller's own reservation go while it waits for payment. A repeated \
            cancel answers the cancelled reservation again.""")
    @ApiResponse(responseCode = "200", description = "the reservation, CANCELLED")
    ReservationView cancel(Caller caller,
                           @PathId(value = "the reservation", example = "42") @PathVariable String reservationId) {
        return reserving.cancel(PathIds.positive("reservationId", reservationId), caller.userId());
    }

    record HoldRequest(
            @Schema(description = "the date", minimum = "1", example = "12")
            @NotNull(message = "is required") @Positive(message = "must be a positive integer") Long scheduleId,
            @Schema(description = "the seats to hold, none twice", example = "[10, 11]")
            @ArraySchema(uniqueItems = true)
            @NotNull(message = "is required") @Size(min = 1, max = 4, message = "must name 1 to 4 seats")
            List<@NotNull(message = "must not contain null") @Min(value = 1, message = "must be seat numbers from 1")
                    @Max(value = 50, message = "must be seat numbers up to 50") Integer> seatNos) {

        /** The seats in ascending order; duplicates are a client error, not something to fold. */
        List<Integer> ascendingDistinctSeats() {
            if (new HashSet<>(seatNos).size() != seatNos.size()) {
                throw ApiException.invalidRequest("seatNos must not repeat a seat");
            }
            return seatNos.stream().sorted().toList();
        }
    }
}
