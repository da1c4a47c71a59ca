package dev.ticketing.messaging.web;

import dev.ticketing.web.Problems;
import dev.ticketing.web.ProblemCode;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** An operator's bad request to an actuator endpoint is a 400 problem, not the catch-all's 500. */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
public class ActuatorProblemAdvice {

    @ExceptionHandler(InvalidEndpointRequestException.class)
    ResponseEntity<ProblemDetail> invalid(InvalidEndpointRequestException e) {
        return ResponseEntity.badRequest().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(Problems.of(ProblemCode.INVALID_REQUEST, e.getReason()));
    }
}
