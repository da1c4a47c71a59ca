package dev.ticketing.messaging.web;

import dev.ticketing.web.Problems;
import dev.ticketing.web.ProblemCode;
import dev.ticketing.messaging.consumer.ConsumerErrorHandling;
import jakarta.validation.ConstraintViolationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.MissingRequestHeaderException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.multipart.MultipartException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

import java.sql.SQLTransientConnectionException;
import java.util.stream.Collectors;

/**
 * Every error a service answers is {@code application/problem+json} with a stable code; a
 * client's mistake is a 4xx that changes nothing, and only an unreachable dependency is a 5xx
 * (503 with {@code Retry-After}).
 */
@RestControllerAdvice
public class ProblemAdvice {

    private static final Logger log = LoggerFactory.getLogger(ProblemAdvice.class);

    @ExceptionHandler(ApiException.class)
    ResponseEntity<ProblemDetail> api(ApiException e) {
        ProblemDetail problem = Problems.of(e.code(), e.getMessage());
        e.properties().forEach(problem::setProperty);
        return respond(problem, e.status() == HttpStatus.SERVICE_UNAVAILABLE);
    }

    @ExceptionHandler(MethodArgumentNotValidException.class)
    ResponseEntity<ProblemDetail> invalidBody(MethodArgumentNotValidException e) {
        String detail = e.getBindingResult().getFieldErrors().stream()
                .map(f -> f.getField() + " " + f.getDefaultMessage())
                .sorted()
                .collect(Collectors.joining("; "));
        return badRequest(detail.isEmpty() ? "invalid request" : detail);
    }

    @ExceptionHandler(HandlerMethodValidationException.class)
    ResponseEntity<ProblemDetail> invalidParameters(HandlerMethodValidationException e) {
        String detail = e.getAllErrors().stream()
                .map(err -> err.getDefaultMessage())
                .collect(Collectors.joining("; "));
        return badRequest(detail.isEmpty() ? "invalid request" : detail);
    }

    @ExceptionHandler(ConstraintViolationException.class)
    ResponseEntity<ProblemDetail> constraint(ConstraintViolationException e) {
        return badRequest(e.getMessage());
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<ProblemDetail> unreadable(HttpMessageNotReadableException e) {
        return badRequest("request body is missing or not valid JSON of the expected shape");
    }

    @ExceptionHandler({MethodArgumentTypeMismatchException.class, MissingServletRequestParameterException.class})
    ResponseEntity<ProblemDetail> badParameter(Exception e) {
        return badRequest(e.getMessage());
    }

    @ExceptionHandler(MissingRequestHeaderException.class)
    ResponseEntity<ProblemDetail> missingHeader(MissingRequestHeaderException e) {
        return badRequest("header " + e.getHeaderName() + " is required");
    }

    @ExceptionHandler(NoResourceFoundException.class)
    ResponseEntity<ProblemDetail> noRoute(NoResourceFoundException e) {
        return respond(Problems.of(ProblemCode.NOT_FOUND, "no such resource"), false);
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<ProblemDetail> method(HttpRequestMethodNotSupportedException e) {
        ProblemDetail problem = Problems.of(ProblemCode.METHOD_NOT_ALLOWED, e.getMessage());
        HttpHeaders headers = new HttpHeaders();
        if (e.getSupportedHttpMethods() != null) {
            headers.setAllow(e.getSupportedHttpMethods());
        }
        return ResponseEntity.status(HttpStatus.METHOD_NOT_ALLOWED).headers(headers)
                .contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    ResponseEntity<ProblemDetail> mediaType(HttpMediaTypeNotSupportedException e) {
        return respond(Problems.of(ProblemCode.UNSUPPORTED_MEDIA_TYPE,
                "send application/json"), false);
    }

    @ExceptionHandler(HttpMediaTypeNotAcceptableException.class)
    ResponseEntity<ProblemDetail> notAcceptable(HttpMediaTypeNotAcceptableException e) {
        return respond(Problems.of(ProblemCode.NOT_ACCEPTABLE, "responses are application/json"), false);
    }

    /**
     * A request that says it is multipart (even a GET, even without a boundary) makes the servlet stack try
     * to parse it, and a broken one fails there, before any controller. No route takes multipart.
     */
    @ExceptionHandler(MultipartException.class)
    ResponseEntity<ProblemDetail> multipart(MultipartException e) {
        return respond(Problems.of(ProblemCode.UNSUPPORTED_MEDIA_TYPE,
                "multipart requests are not accepted; send application/json"), false);
    }

    @ExceptionHandler(MaxUploadSizeExceededException.class)
    ResponseEntity<ProblemDetail> tooLarge(MaxUploadSizeExceededException e) {
        return respond(Problems.of(ProblemCode.PAYLOAD_TOO_LARGE, "request body too large"), false);
    }

    /**
     * The database is unreachable or too slow, or a command lost a lock race even after its retry:
     * nothing changed, and the client may retry shortly.
     */
    @ExceptionHandler({CannotCreateTransactionException.class, DataAccessResourceFailureException.class,
            QueryTimeoutException.class, SQLTransientConnectionException.class, PessimisticLockingFailureException.class})
    ResponseEntity<ProblemDetail> unavailable(Exception e) {
        log.warn("Answering 503: {}", e.toString());
        return respond(Problems.of(ProblemCode.SERVICE_UNAVAILABLE,
                "a service this request needs is unavailable; retry shortly"), true);
    }

    /**
     * Anything else: still a 503 when a lost database connection lies underneath (the database went away in
     * the middle of a statement or of the commit, which Spring reports as a JPA or transaction failure);
     * the transaction did not commit unless the commit itself was cut off, and a retry with the same
     * Idempotency-Key is safe either way. Otherwise a bug: 500, logged with its stack.
     */
    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e) {
        if (ConsumerErrorHandling.isTransient(e)) {
            return unavailable(e);
        }
        log.error("Unexpected error", e);
        return respond(Problems.of(ProblemCode.INTERNAL_ERROR, "unexpected error"), false);
    }

    private static ResponseEntity<ProblemDetail> badRequest(String detail) {
        return respond(Problems.of(ProblemCode.INVALID_REQUEST, detail), false);
    }

    private static ResponseEntity<ProblemDetail> respond(ProblemDetail problem, boolean retryLater) {
        ResponseEntity.BodyBuilder builder = ResponseEntity.status(problem.getStatus())
                .contentType(MediaType.APPLICATION_PROBLEM_JSON);
        if (retryLater) {
            builder.header(HttpHeaders.RETRY_AFTER, "1");
        }
        return builder.body(problem);
    }
}
