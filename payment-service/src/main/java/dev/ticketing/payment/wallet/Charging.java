package dev.ticketing.payment.wallet;

import dev.ticketing.web.ProblemCode;
import dev.ticketing.events.BalanceCharged;
import dev.ticketing.messaging.outbox.Outbox;
import dev.ticketing.messaging.web.ApiException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** B2: tops up a balance. The charge, the balance, its ledger entry and BalanceCharged commit together. */
@Service
class Charging {

    private final Wallets wallets;
    private final Outbox outbox;
    private final Clock clock;
    private final Counter charged;
    private final Counter refused;

    Charging(Wallets wallets, Outbox outbox, Clock clock, MeterRegistry meters) {
        this.wallets = wallets;
        this.outbox = outbox;
        this.clock = clock;
        this.charged = meters.counter("payment.charges", "outcome", "charged");
        this.refused = meters.counter("payment.charges", "outcome", "balance_limit_exceeded");
    }

    /** Creates the wallet at 0 if it is missing, in its own short transaction (see {@link Wallets#open}). */
    void openWallet(long userId) {
        if (!wallets.exists(userId)) {
            wallets.open(userId, clock.instant());
        }
    }

    /**
     * @throws ApiException 409 {@code BALANCE_LIMIT_EXCEEDED} if the balance would pass the limit
     */
    @Transactional
    BalanceView charge(long userId, long amount) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        long chargeId = wallets.newCharge(userId, amount, now);
        long balanceAfter = wallets.credit(userId, amount, chargeId, now).orElseThrow(() -> {
            refused.increment();
            return new ApiException(ProblemCode.BALANCE_LIMIT_EXCEEDED,
                    "a charge may not take the balance past " + Wallets.BALANCE_LIMIT + "; the balance is " + wallets.balance(userId));
        });
        outbox.publish(new BalanceCharged(userId, chargeId, amount, balanceAfter));
        charged.increment();
        return new BalanceView(userId, balanceAfter);
    }
}
