package dev.ticketing.concert.catalogue;

import dev.ticketing.web.ProblemCode;
import dev.ticketing.messaging.web.ApiException;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** A date's seat layout for reservation-service. Inside only: the gateway never routes /internal/**. */
@RestController
class InternalScheduleController {

    private final Catalogue catalogue;

    InternalScheduleController(Catalogue catalogue) {
        this.catalogue = catalogue;
    }

    @GetMapping(path = "/internal/schedules/{scheduleId}", produces = MediaType.APPLICATION_JSON_VALUE)
    ScheduleLayout schedule(@PathVariable ScheduleId scheduleId) {
        return catalogue.layout(scheduleId)
                .orElseThrow(() -> new ApiException(ProblemCode.SCHEDULE_NOT_FOUND, "no schedule " + scheduleId.value()));
    }
}
