package dev.ticketing.messaging.web;

import org.springframework.http.HttpStatus;

import java.util.Map;

/**
 * A refusal the client can act on: becomes an {@code application/problem+json} response with a
 * stable {@code code} (DESIGN section 3). Extra members (e.g. {@code seatNos}) go in {@code properties}.
 */
public class ApiException extends RuntimeException {

    private final HttpStatus status;
    private final String code;
    private final Map<String, Object> properties;

    public ApiException(HttpStatus status, String code, String detail) {
        this(status, code, detail, Map.of());
    }

    public ApiException(HttpStatus status, String code, String detail, Map<String, Object> properties) {
        super(detail);
        this.status = status;
        this.code = code;
        this.properties = Map.copyOf(properties);
    }

    public static ApiException invalidRequest(String detail) {
        return new ApiException(HttpStatus.BAD_REQUEST, "INVALID_REQUEST", detail);
    }

    public static ApiException notFound(String code, String detail) {
        return new ApiException(HttpStatus.NOT_FOUND, code, detail);
    }

    public static ApiException conflict(String code, String detail) {
        return new ApiException(HttpStatus.CONFLICT, code, detail);
    }

    public HttpStatus status() {
        return status;
    }

    public String code() {
        return code;
    }

    public Map<String, Object> properties() {
        return properties;
    }
}
