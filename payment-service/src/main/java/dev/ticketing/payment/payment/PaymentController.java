package dev.ticketing.payment.payment;

import dev.ticketing.messaging.idempotency.IdempotentCommands;
import dev.ticketing.payment.Requests;
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

/** P1 pay, P2 read, P3 list (DESIGN section 3), for the token's user, named by the gateway in {@code X-User-Id}. */
@RestController
@RequestMapping(produces = MediaType.APPLICATION_JSON_VALUE)
class PaymentController {

    private final Paying paying;
    private final IdempotentCommands commands;

    PaymentController(Paying paying, IdempotentCommands commands) {
        this.paying = paying;
        this.commands = commands;
    }

    @PostMapping(path = "/api/v1/payments", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<?> pay(@RequestHeader(name = Requests.USER, required = false) Long caller,
                          @RequestHeader(name = IdempotentCommands.HEADER, required = false) String idempotencyKey,
                          @Valid @RequestBody PayRequest request) {
        long user = Requests.caller(caller);
        long reservationId = request.reservationId();
        paying.learnOf(reservationId);
        return commands.run(user, "POST /payments", idempotencyKey, request,
                () -> ResponseEntity.status(HttpStatus.CREATED).body(paying.pay(user, reservationId)));
    }

    @GetMapping("/api/v1/payments/{paymentId}")
    PaymentView find(@RequestHeader(name = Requests.USER, required = false) Long caller,
                     @PathVariable String paymentId) {
        long id = Requests.positiveId("paymentId", paymentId);
        return paying.find(Requests.caller(caller), id);
    }

    @GetMapping("/api/v1/users/{userId}/payments")
    PaymentPage list(@RequestHeader(name = Requests.USER, required = false) Long caller,
                     @PathVariable String userId,
                     @RequestParam(required = false) String page,
                     @RequestParam(required = false) String size) {
        long requested = Requests.positiveId("userId", userId);
        Requests.Paging paging = Requests.paging(page, size);
        long user = Requests.sameUser(requested, caller);
        Requests.Slice<PaymentView> slice = paging.slice(paying.paidBy(user, paging.offset(), paging.limit()));
        return new PaymentPage(slice.rows(), paging.page(), paging.size(), slice.hasNext());
    }

    record PayRequest(@NotNull(message = "is required") @Positive(message = "must be a positive integer") Long reservationId) {
    }

    record PaymentPage(List<PaymentView> payments, int page, int size, boolean hasNext) {
    }
}
