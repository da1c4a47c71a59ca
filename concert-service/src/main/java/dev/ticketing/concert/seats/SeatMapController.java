package dev.ticketing.concert.seats;

import dev.ticketing.concert.catalogue.Catalogue;
import dev.ticketing.concert.catalogue.ConcertId;
import dev.ticketing.concert.catalogue.ScheduleId;
import dev.ticketing.messaging.web.ApiException;
import dev.ticketing.messaging.web.openapi.Access;
import dev.ticketing.messaging.web.openapi.PathId;
import dev.ticketing.web.ProblemCode;
import dev.ticketing.messaging.web.openapi.PublicApi;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * C3, polled by everyone waiting for a seat during a sell-out: one read when the date exists,
 * a second only to tell which 404 it is.
 */
@RestController
@Tag(name = "Concerts")
class SeatMapController {

    private final SeatMaps seatMaps;
    private final Catalogue catalogue;

    SeatMapController(SeatMaps seatMaps, Catalogue catalogue) {
        this.seatMaps = seatMaps;
        this.catalogue = catalogue;
    }

    @GetMapping(path = "/api/v1/concerts/{concertId}/schedules/{scheduleId}/seats", produces = MediaType.APPLICATION_JSON_VALUE)
    @PublicApi(access = Access.ADMITTED, problems = {ProblemCode.CONCERT_NOT_FOUND, ProblemCode.SCHEDULE_NOT_FOUND})
    @Operation(summary = "Show a date's seats (C3)",
            description = "Every seat of the date in seat order, with its grade, price and whether it is free.")
    @ApiResponse(responseCode = "200", description = "the date's seat map")
    SeatMap seats(@PathId(value = "the concert", example = "1") @PathVariable ConcertId concertId,
                  @PathId(value = "the date, one of the concert's", example = "12")
                  @PathVariable ScheduleId scheduleId) {
        return seatMaps.find(scheduleId)
                .filter(found -> found.concertId() == concertId.value())
                .map(SeatMaps.OfConcert::seatMap)
                .orElseThrow(() -> catalogue.hasConcert(concertId)
                        ? new ApiException(ProblemCode.SCHEDULE_NOT_FOUND,
                                "no schedule " + scheduleId.value() + " of concert " + concertId.value())
                        : new ApiException(ProblemCode.CONCERT_NOT_FOUND, "no concert " + concertId.value()));
    }
}
