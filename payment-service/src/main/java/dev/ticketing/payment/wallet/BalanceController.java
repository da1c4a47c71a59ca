package dev.ticketing.payment.wallet;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.ticketing.messaging.idempotency.IdempotentCommands;
import dev.ticketing.messaging.web.ApiException;
import dev.ticketing.payment.Requests;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.math.BigDecimal;
import java.util.List;

/**
 * B1 balance, B2 charge, B3 history (DESIGN section 3), each for the token's own user only. The
 * gateway names that user in {@code X-User-Id}.
 */
@RestController
@RequestMapping(path = "/api/v1/users/{userId}/balance", produces = MediaType.APPLICATION_JSON_VALUE)
class BalanceController {

    private static final BigDecimal MAX_CHARGE = BigDecimal.valueOf(1_000_000);

    private final Wallets wallets;
    private final Charging charging;
    private final IdempotentCommands commands;

    BalanceController(Wallets wallets, Charging charging, IdempotentCommands commands) {
        this.wallets = wallets;
        this.charging = charging;
        this.commands = commands;
    }

    @GetMapping
    BalanceView balance(@RequestHeader(name = Requests.USER, required = false) Long caller,
                        @PathVariable String userId) {
        long user = Requests.sameUser(Requests.positiveId("userId", userId), caller);
        return new BalanceView(user, wallets.balance(user));
    }

    @PostMapping(path = "/charges", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<?> charge(@RequestHeader(name = Requests.USER, required = false) Long caller,
                             @RequestHeader(name = IdempotentCommands.HEADER, required = false) String idempotencyKey,
                             @PathVariable String userId,
                             @Valid @RequestBody ChargeRequest request) {
        long requested = Requests.positiveId("userId", userId);
        long amount = request.wholeAmount();
        long user = Requests.sameUser(requested, caller);
        charging.openWallet(user);
        return commands.run(user, "POST /balance/charges", idempotencyKey, request,
                () -> ResponseEntity.ok(charging.charge(user, amount)));
    }

    @GetMapping("/history")
    HistoryPage history(@RequestHeader(name = Requests.USER, required = false) Long caller,
                        @PathVariable String userId,
                        @RequestParam(required = false) String page,
                        @RequestParam(required = false) String size) {
        long requested = Requests.positiveId("userId", userId);
        Requests.Paging paging = Requests.paging(page, size);
        long user = Requests.sameUser(requested, caller);
        Requests.Slice<LedgerEntry> slice = paging.slice(wallets.history(user, paging.offset(), paging.limit()));
        return new HistoryPage(slice.rows(), paging.page(), paging.size(), slice.hasNext());
    }

    /** The amount as sent, so that 1.5 is refused as not whole rather than as a type error. */
    record ChargeRequest(@NotNull(message = "is required") @JsonProperty("amount") BigDecimal amount) {

        long wholeAmount() {
            if (amount.compareTo(BigDecimal.ONE) < 0 || amount.compareTo(MAX_CHARGE) > 0
                    || amount.stripTrailingZeros().scale() > 0) {
                throw new ApiException(HttpStatus.BAD_REQUEST, "INVALID_AMOUNT",
                        "amount must be a whole number of won from 1 to 1000000");
            }
            return amount.longValueExact();
        }
    }

    record HistoryPage(List<LedgerEntry> entries, int page, int size, boolean hasNext) {
    }
}
