package dev.ticketing.payment.wallet;

import io.swagger.v3.oas.annotations.media.Schema;

/** B1 and B2's answer. */
record BalanceView(@Schema(example = "7") long userId,
                   @Schema(description = "in won", example = "250000") long balance) {
}
