package dev.ticketing.messaging.web;

import dev.ticketing.web.ProblemCode;
import org.springframework.http.HttpStatus;

import java.util.Map;

/**
 * A refusal the client can act on: becomes an {@code application/problem+json} response with its
 * {@link ProblemCode} and that code's status (DESIGN section 3). Extra members (e.g. {@code seatNos}) go in
 * {@code properties}.
 */
public class ApiException extends RuntimeException {

    private final ProblemCode code;
    private final Map<String, Object> properties;

    public ApiException(ProblemCode code, String detail) {
        this(code, detail, Map.of());
    }

    public ApiException(ProblemCode code, String detail, Map<String, Object> properties) {
        super(detail);
        this.code = code;
        this.properties = Map.copyOf(properties);
    }

    public static ApiException invalidRequest(String detail) {
        return new ApiException(ProblemCode.INVALID_REQUEST, detail);
    }

    public HttpStatus status() {
        return code.status();
    }

    public ProblemCode code() {
        return code;
    }

    public Map<String, Object> properties() {
        return properties;
    }
}
