package dev.ticketing.concert.catalogue;

import dev.ticketing.messaging.web.ApiException;
import dev.ticketing.messaging.web.openapi.Access;
import dev.ticketing.messaging.web.openapi.PathId;
import dev.ticketing.web.ProblemCode;
import dev.ticketing.messaging.web.openapi.PublicApi;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
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
@Tag(name = "Concerts", description = "What is on, when, and which seats are free")
class CatalogueController {

    private final Catalogue catalogue;
    private final Clock clock;

    CatalogueController(Catalogue catalogue, Clock clock) {
        this.catalogue = catalogue;
        this.clock = clock;
    }

    @GetMapping
    @PublicApi(access = Access.OPEN)
    @Operation(summary = "List the concerts (C1)")
    @ApiResponse(responseCode = "200", description = "every concert")
    ConcertList concerts() {
        return new ConcertList(catalogue.concerts());
    }

    @GetMapping("/{concertId}/schedules")
    @PublicApi(access = Access.ADMITTED, problems = ProblemCode.CONCERT_NOT_FOUND)
    @Operation(summary = "List a concert's upcoming dates (C2)",
            description = "The dates that have not started yet, soonest first, each with its free seats.")
    @ApiResponse(responseCode = "200", description = "the concert's upcoming dates")
    ScheduleList schedules(@PathId(value = "the concert", example = "1") @PathVariable ConcertId concertId) {
        List<ScheduleSummary> schedules = catalogue.upcomingSchedules(concertId, clock.instant())
                .orElseThrow(() -> new ApiException(ProblemCode.CONCERT_NOT_FOUND, "no concert " + concertId.value()));
        return new ScheduleList(concertId.value(), schedules);
    }

    record ConcertList(List<ConcertSummary> concerts) {
    }

    record ScheduleList(@Schema(example = "1") long concertId,
                        @Schema(description = "upcoming dates, soonest first") List<ScheduleSummary> schedules) {
    }
}
