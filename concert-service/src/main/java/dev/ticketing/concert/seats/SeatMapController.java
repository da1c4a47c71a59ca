package dev.ticketing.concert.seats;

import dev.ticketing.concert.catalogue.Catalogue;
import dev.ticketing.concert.catalogue.ConcertId;
import dev.ticketing.concert.catalogue.ScheduleId;
import dev.ticketing.messaging.web.ApiException;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * C3, polled by everyone waiting for a seat during a sell-out: one read when the date exists,
 * a second only to tell which 404 it is.
 */
@RestController
class SeatMapController {

    private final SeatMaps seatMaps;
    private final Catalogue catalogue;

    SeatMapController(SeatMaps seatMaps, Catalogue catalogue) {
        this.seatMaps = seatMaps;
        this.catalogue = catalogue;
    }

    @GetMapping(path = "/api/v1/concerts/{concertId}/schedules/{scheduleId}/seats", produces = MediaType.APPLICATION_JSON_VALUE)
    SeatMap seats(@PathVariable ConcertId concertId, @PathVariable ScheduleId scheduleId) {
        return seatMaps.find(scheduleId)
                .filter(found -> found.concertId() == concertId.value())
                .map(SeatMaps.OfConcert::seatMap)
                .orElseThrow(() -> catalogue.hasConcert(concertId)
                        ? ApiException.notFound("SCHEDULE_NOT_FOUND",
                                "no schedule " + scheduleId.value() + " of concert " + concertId.value())
                        : ApiException.notFound("CONCERT_NOT_FOUND", "no concert " + concertId.value()));
    }
}
