package dev.ticketing.concert.catalogue;

import dev.ticketing.messaging.web.ApiException;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.time.Clock;
import java.util.List;

/** C1 concerts and C2 a concert's upcoming dates (DESIGN section 3). */
@RestController
@RequestMapping(path = "/api/v1/concerts", produces = MediaType.APPLICATION_JSON_VALUE)
class CatalogueController {

    private final Catalogue catalogue;
    private final Clock clock;

    CatalogueController(Catalogue catalogue, Clock clock) {
        this.catalogue = catalogue;
        this.clock = clock;
    }

    @GetMapping
    ConcertList concerts() {
        return new ConcertList(catalogue.concerts());
    }

    @GetMapping("/{concertId}/schedules")
    ScheduleList schedules(@PathVariable ConcertId concertId) {
        List<ScheduleSummary> schedules = catalogue.upcomingSchedules(concertId, clock.instant())
                .orElseThrow(() -> ApiException.notFound("CONCERT_NOT_FOUND", "no concert " + concertId.value()));
        return new ScheduleList(concertId.value(), schedules);
    }

    record ConcertList(List<ConcertSummary> concerts) {
    }

    record ScheduleList(long concertId, List<ScheduleSummary> schedules) {
    }
}
