package dev.ticketing.web;

import org.springframework.http.HttpStatus;

import java.util.List;
import java.util.Map;

/**
 * The problem codes a client of the public API can be answered with (DESIGN section 3), each with its status: the
 * one list the services, the gateway and the OpenAPI documents use (status, what the code means, a typical detail).
 */
public enum ProblemCode {

    INVALID_REQUEST(HttpStatus.BAD_REQUEST,
            "malformed JSON, wrong types, missing fields, ids, seats or paging out of range, or a bad Idempotency-Key",
            "seatNos must name 1 to 4 seats"),
    INVALID_AMOUNT(HttpStatus.BAD_REQUEST,
            "the amount is not a whole number of won from 1 to 1,000,000",
            "amount must be a whole number of won from 1 to 1000000"),
    TOKEN_MISSING(HttpStatus.UNAUTHORIZED,
            "no Queue-Token header, or an empty one",
            "header Queue-Token is required"),
    TOKEN_INVALID(HttpStatus.UNAUTHORIZED,
            "the token is malformed, forged, past its exp, or unknown to the queue",
            "the queue token is not valid"),
    TOKEN_EXPIRED(HttpStatus.UNAUTHORIZED,
            "the token's admission has ended (paid, timed out or dropped): join the queue again",
            "the queue token has expired; join the queue again"),
    QUEUE_NOT_ADMITTED(HttpStatus.FORBIDDEN,
            "the token is still WAITING in the queue",
            "the queue token has not been admitted yet"),
    FORBIDDEN(HttpStatus.FORBIDDEN,
            "the path or body names another user, or another user's reservation or payment",
            "the reservation belongs to another user"),
    CONCERT_NOT_FOUND(HttpStatus.NOT_FOUND,
            "no such concert",
            "no concert 3"),
    SCHEDULE_NOT_FOUND(HttpStatus.NOT_FOUND,
            "no such date (of this concert)",
            "no schedule 12"),
    RESERVATION_NOT_FOUND(HttpStatus.NOT_FOUND,
            "no such reservation",
            "no reservation 42"),
    PAYMENT_NOT_FOUND(HttpStatus.NOT_FOUND,
            "no such payment (a payment is shown only once paid)",
            "no payment 5"),
    SEAT_UNAVAILABLE(HttpStatus.CONFLICT,
            "a seat asked for is held or sold; seatNos names them",
            "seats [10, 11] are not available",
            Map.of("seatNos", List.of(10, 11))),
    RESERVATION_LIMIT(HttpStatus.CONFLICT,
            "this token already has a live reservation: pay for it or cancel it first",
            "this queue token already has a live reservation; pay for it or cancel it first"),
    SCHEDULE_CLOSED(HttpStatus.CONFLICT,
            "the date has started",
            "schedule 12 has started"),
    RESERVATION_EXPIRED(HttpStatus.CONFLICT,
            "the hold ran out before payment",
            "the hold of reservation 42 ran out before payment"),
    RESERVATION_NOT_PENDING(HttpStatus.CONFLICT,
            "the reservation is no longer waiting for payment (cancelled, expired or confirmed)",
            "reservation 42 was cancelled"),
    ALREADY_PAID(HttpStatus.CONFLICT,
            "the reservation is paid already",
            "reservation 42 is paid already"),
    INSUFFICIENT_BALANCE(HttpStatus.CONFLICT,
            "the balance does not cover the amount",
            "the balance 20000 does not cover the amount 100000"),
    BALANCE_LIMIT_EXCEEDED(HttpStatus.CONFLICT,
            "the charge would take the balance past 100,000,000",
            "a charge may not take the balance past 100000000; the balance is 99990000"),
    IDEMPOTENCY_IN_PROGRESS(HttpStatus.CONFLICT,
            "a request with this Idempotency-Key is still running: retry shortly",
            "a request with this Idempotency-Key is still being processed; retry shortly"),
    PAYLOAD_TOO_LARGE(HttpStatus.PAYLOAD_TOO_LARGE,
            "the body is over 16 KiB",
            "request body too large (at most 16 KiB)"),
    UNSUPPORTED_MEDIA_TYPE(HttpStatus.UNSUPPORTED_MEDIA_TYPE,
            "the body is not application/json",
            "send application/json"),
    IDEMPOTENCY_KEY_REUSED(HttpStatus.UNPROCESSABLE_ENTITY,
            "this Idempotency-Key was used with another body within 24 hours",
            "this Idempotency-Key was used with a different request body"),
    RATE_LIMITED(HttpStatus.TOO_MANY_REQUESTS,
            "too many requests from this token or address: wait for Retry-After",
            "too many requests; retry later"),
    SERVICE_UNAVAILABLE(HttpStatus.SERVICE_UNAVAILABLE,
            "a service or database this request needs is down: retry after Retry-After",
            "a service this request needs is unavailable; retry shortly"),
    NOT_FOUND(HttpStatus.NOT_FOUND,
            "no such route (or an internal one, which the gateway never routes)",
            "no such resource"),
    METHOD_NOT_ALLOWED(HttpStatus.METHOD_NOT_ALLOWED,
            "the route exists, not with this method; Allow lists those it takes",
            "GET, DELETE"),
    NOT_ACCEPTABLE(HttpStatus.NOT_ACCEPTABLE,
            "the Accept header excludes application/json",
            "responses are application/json"),
    MALFORMED_REQUEST(HttpStatus.BAD_REQUEST,
            "the gateway's HTTP decoder could not read the request as HTTP/1.1",
            "the request could not be read as HTTP/1.1"),
    URI_TOO_LONG(HttpStatus.URI_TOO_LONG,
            "the request line is over 4 KiB",
            "the request line is over 4 KiB"),
    HEADERS_TOO_LARGE(HttpStatus.REQUEST_HEADER_FIELDS_TOO_LARGE,
            "the request headers are over 8 KiB",
            "the request headers are over 8 KiB"),
    INTERNAL_ERROR(HttpStatus.INTERNAL_SERVER_ERROR,
            "a bug: logged with its stack trace, nothing was changed that the client cannot see",
            "unexpected error");

    private final HttpStatus status;
    private final String meaning;
    private final String exampleDetail;
    private final Map<String, Object> exampleMembers;

    ProblemCode(HttpStatus status, String meaning, String exampleDetail) {
        this(status, meaning, exampleDetail, Map.of());
    }

    ProblemCode(HttpStatus status, String meaning, String exampleDetail, Map<String, Object> exampleMembers) {
        this.status = status;
        this.meaning = meaning;
        this.exampleDetail = exampleDetail;
        this.exampleMembers = exampleMembers;
    }

    public HttpStatus status() {
        return status;
    }

    /** When a client gets it, in a few words. */
    public String meaning() {
        return meaning;
    }

    /** A detail as the service or gateway writes it. */
    public String exampleDetail() {
        return exampleDetail;
    }

    /** Members beyond the standard five that come with this code. */
    public Map<String, Object> exampleMembers() {
        return exampleMembers;
    }
}
