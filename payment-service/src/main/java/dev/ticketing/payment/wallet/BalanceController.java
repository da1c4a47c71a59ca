package dev.ticketing.payment.wallet;

import dev.ticketing.messaging.web.Caller;
import dev.ticketing.web.ProblemCode;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.ticketing.messaging.idempotency.IdempotentCommands;
import dev.ticketing.messaging.web.ApiException;
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

import static dev.ticketing.web.ProblemCode.BALANCE_LIMIT_EXCEEDED;
import static dev.ticketing.web.ProblemCode.FORBIDDEN;
import static dev.ticketing.web.ProblemCode.INVALID_AMOUNT;

/**
 * B1 balance, B2 charge, B3 history (DESIGN section 3), each for the token's own user only. The
 * gateway names that user in {@code X-User-Id}.
 */
@RestController
@RequestMapping(path = "/api/v1/users/{userId}/balance", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Balance", description = "The prepaid balance that payments are taken from")
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
    @PublicApi(access = Access.IDENTIFIED, problems = FORBIDDEN)
    @Operation(summary = "Read one's balance (B1)", description = "0 for a user who never charged.")
    @ApiResponse(responseCode = "200", description = "the balance")
    BalanceView balance(Caller caller,
                        @PathId(value = "the caller's user id", example = "7") @PathVariable String userId) {
        long user = caller.sameUser(Requests.positiveId("userId", userId), Requests.OWN);
        return new BalanceView(user, wallets.balance(user));
    }

    @PostMapping(path = "/charges", consumes = MediaType.APPLICATION_JSON_VALUE)
    @PublicApi(access = Access.IDENTIFIED, problems = {INVALID_AMOUNT, FORBIDDEN, BALANCE_LIMIT_EXCEEDED})
    @Operation(summary = "Charge one's balance (B2)", description = """
            Adds a whole number of won, 1 to 1,000,000 at a time, to the caller's own balance; the balance \
            may not go past 100,000,000.""")
    @ApiResponse(responseCode = "200", description = "the balance after the charge",
            content = @Content(schema = @Schema(implementation = BalanceView.class)))
    ResponseEntity<?> charge(Caller caller,
                             @RequestHeader(name = IdempotentCommands.HEADER, required = false) String idempotencyKey,
                             @PathId(value = "the caller's user id", example = "7") @PathVariable String userId,
                             @Valid @RequestBody ChargeRequest request) {
        long requested = Requests.positiveId("userId", userId);
        long amount = request.wholeAmount();
        long user = caller.sameUser(requested, Requests.OWN);
        charging.openWallet(user);
        return commands.run(user, "POST /balance/charges", idempotencyKey, request,
                () -> ResponseEntity.ok(charging.charge(user, amount)));
    }

    @GetMapping("/history")
    @PublicApi(access = Access.IDENTIFIED, problems = FORBIDDEN)
    @Operation(summary = "List one's balance changes (B3)",
            description = "Charges, payments and refunds of the caller's own balance, newest first, a page at a time.")
    @ApiResponse(responseCode = "200", description = "a page of ledger entries")
    HistoryPage history(Caller caller,
                        @PathId(value = "the caller's user id", example = "7") @PathVariable String userId,
                        @Requests.PageParameter @RequestParam(required = false) String page,
                        @Requests.SizeParameter @RequestParam(required = false) String size) {
        long requested = Requests.positiveId("userId", userId);
        Requests.Paging paging = Requests.paging(page, size);
        long user = caller.sameUser(requested, Requests.OWN);
        Requests.Slice<LedgerEntry> slice = paging.slice(wallets.history(user, paging.offset(), paging.limit()));
        return new HistoryPage(slice.rows(), paging.page(), paging.size(), slice.hasNext());
    }

    /** The amount as sent, so that 1.5 is refused as not whole rather than as a type error. */
    record ChargeRequest(@Schema(description = "whole won, 1 to 1,000,000", implementation = Long.class,
                                 minimum = "1", maximum = "1000000", example = "50000")
                         @NotNull(message = "is required") @JsonProperty("amount") BigDecimal amount) {

        long wholeAmount() {
            if (amount.compareTo(BigDecimal.ONE) < 0 || amount.compareTo(MAX_CHARGE) > 0
                    || amount.stripTrailingZeros().scale() > 0) {
                throw new ApiException(ProblemCode.INVALID_AMOUNT,
                        "amount must be a whole number of won from 1 to 1000000");
            }
            return amount.longValueExact();
        }
    }

    record HistoryPage(@Schema(description = "newest first") List<LedgerEntry> entries,
                       @Schema(example = "0") int page,
                       @Schema(example = "20") int size,
                       @Schema(description = "whether another page follows") boolean hasNext) {
    }
}
