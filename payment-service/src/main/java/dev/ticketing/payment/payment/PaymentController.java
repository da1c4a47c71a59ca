package dev.ticketing.payment.payment;

import dev.ticketing.messaging.web.Caller;
import dev.ticketing.web.ProblemCode;
import dev.ticketing.messaging.idempotency.IdempotentCommands;
import dev.ticketing.messaging.web.openapi.Access;
import dev.ticketing.messaging.web.openapi.PathId;
import dev.ticketing.messaging.web.openapi.PublicApi;
import dev.ticketing.payment.Requests;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;

import static dev.ticketing.web.ProblemCode.ALREADY_PAID;
import static dev.ticketing.web.ProblemCode.FORBIDDEN;
import static dev.ticketing.web.ProblemCode.INSUFFICIENT_BALANCE;
import static dev.ticketing.web.ProblemCode.PAYMENT_NOT_FOUND;
import static dev.ticketing.web.ProblemCode.RESERVATION_EXPIRED;
import static dev.ticketing.web.ProblemCode.RESERVATION_NOT_FOUND;
import static dev.ticketing.web.ProblemCode.RESERVATION_NOT_PENDING;

/** P1 pay, P2 read, P3 list (DESIGN section 3), for the token's user, named by the gateway in {@code X-User-Id}. */
@RestController
@RequestMapping(produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Payments", description = "Paying for held seats from the balance")
class PaymentController {

    private final Paying paying;
    private final IdempotentCommands commands;

    PaymentController(Paying paying, IdempotentCommands commands) {
        this.paying = paying;
        this.commands = commands;
    }

    @PostMapping(path = "/api/v1/payments", consumes = MediaType.APPLICATION_JSON_VALUE)
    @PublicApi(access = Access.IDENTIFIED, problems = {FORBIDDEN, RESERVATION_NOT_FOUND, RESERVATION_EXPIRED,
            RESERVATION_NOT_PENDING, ALREADY_PAID, INSUFFICIENT_BALANCE})
    @Operation(summary = "Pay for a reservation (P1)", description = """
            Pays for the caller's own reservation from their balance while it is held. Shortly after, \
            the reservation is confirmed (its seats sold) and the queue token ends; a payment whose \
            reservation could not be confirmed is refunded (REFUNDED). An identified token suffices: the \
            hold is the proof of admission, so a hold made late in an admission window can still be paid \
            after the window closes.""")
    @ApiResponse(responseCode = "201", description = "paid: the payment, COMPLETED",
            content = @Content(schema = @Schema(implementation = PaymentView.class)))
    ResponseEntity<?> pay(Caller caller,
                          @RequestHeader(name = IdempotentCommands.HEADER, required = false) String idempotencyKey,
                          @Valid @RequestBody PayRequest request) {
        long user = caller.userId();
        long reservationId = request.reservationId();
        paying.learnOf(reservationId);
        return commands.run(user, "POST /payments", idempotencyKey, request,
                () -> ResponseEntity.status(HttpStatus.CREATED).body(paying.pay(user, reservationId)));
    }

    @GetMapping("/api/v1/payments/{paymentId}")
    @PublicApi(access = Access.IDENTIFIED, problems = {FORBIDDEN, PAYMENT_NOT_FOUND})
    @Operation(summary = "Read a payment (P2)", description = "The caller's own payment.")
    @ApiResponse(responseCode = "200", description = "the payment")
    PaymentView find(Caller caller,
                     @PathId(value = "the payment", example = "5") @PathVariable String paymentId) {
        long id = Requests.positiveId("paymentId", paymentId);
        return paying.find(caller.userId(), id);
    }

    @GetMapping("/api/v1/users/{userId}/payments")
    @PublicApi(access = Access.IDENTIFIED, problems = FORBIDDEN)
    @Operation(summary = "List one's payments (P3)",
            description = "The caller's payments, newest first, a page at a time.")
    @ApiResponse(responseCode = "200", description = "a page of payments")
    PaymentPage list(Caller caller,
                     @PathId(value = "the caller's user id", example = "7") @PathVariable String userId,
                     @Requests.PageParameter @RequestParam(required = false) String page,
                     @Requests.SizeParameter @RequestParam(required = false) String size) {
        long requested = Requests.positiveId("userId", userId);
        Requests.Paging paging = Requests.paging(page, size);
        long user = caller.sameUser(requested, Requests.OWN);
        Requests.Slice<PaymentView> slice = paging.slice(paying.paidBy(user, paging.offset(), paging.limit()));
        return new PaymentPage(slice.rows(), paging.page(), paging.size(), slice.hasNext());
    }

    record PayRequest(
            @Schema(description = "the caller's reservation, waiting for payment", minimum = "1", example = "42")
            @NotNull(message = "is required") @Positive(message = "must be a positive integer") Long reservationId) {
    }

    record PaymentPage(@Schema(description = "newest first") List<PaymentView> payments,
                       @Schema(example = "0") int page,
                       @Schema(example = "20") int size,
                       @Schema(description = "whether another page follows") boolean hasNext) {
    }
}
