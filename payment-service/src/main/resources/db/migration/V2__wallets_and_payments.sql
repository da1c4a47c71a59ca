-- Wallets, their ledger, charges and payments (DESIGN section 6).

-- One row per user, created at 0 on the first charge. The balance changes only by conditional
-- UPDATEs (never below 0; a charge never above 100,000,000), each with a ledger entry in the
-- same transaction. The CHECK is a last line of defence, not the rule.
CREATE TABLE wallet (
    user_id    BIGINT      NOT NULL,
    balance    BIGINT      NOT NULL,
    updated_at DATETIME(6) NOT NULL,
    PRIMARY KEY (user_id),
    CONSTRAINT ck_wallet_balance CHECK (balance >= 0)
);

-- A top-up; its id is the reference of its CHARGE ledger entry and the chargeId of BalanceCharged.
CREATE TABLE balance_charge (
    charge_id  BIGINT      NOT NULL AUTO_INCREMENT,
    user_id    BIGINT      NOT NULL,
    amount     BIGINT      NOT NULL,
    charged_at DATETIME(6) NOT NULL,
    PRIMARY KEY (charge_id)
);

-- Every balance change. amount is signed (a payment is negative); the sum of a user's entries is
-- the wallet's balance. reference is the charge id (CHARGE) or the payment id (PAYMENT, REFUND).
CREATE TABLE balance_ledger (
    entry_id      BIGINT      NOT NULL AUTO_INCREMENT,
    user_id       BIGINT      NOT NULL,
    entry_type    VARCHAR(8)  NOT NULL,
    amount        BIGINT      NOT NULL,
    balance_after BIGINT      NOT NULL,
    reference     BIGINT      NOT NULL,
    occurred_at   DATETIME(6) NOT NULL,
    PRIMARY KEY (entry_id),
    CONSTRAINT ck_balance_ledger_type CHECK (entry_type IN ('CHARGE', 'PAYMENT', 'REFUND')),
    -- A payment is paid once and refunded once: a second entry of either kind fails here.
    CONSTRAINT uk_balance_ledger_reference UNIQUE (entry_type, reference)
);
-- B3: a user's history, newest first, ties broken by id.
CREATE INDEX ix_balance_ledger_user ON balance_ledger (user_id, occurred_at, entry_id);

-- A reservation's payment, from its pending state (learnt from ReservationCreated, or fetched from
-- reservation-service when P1 comes first) to COMPLETED and maybe REFUNDED; or, never paid,
-- EXPIRED or CANCELLED with its reservation. One per reservation, by the unique key.
CREATE TABLE payment (
    payment_id     BIGINT      NOT NULL AUTO_INCREMENT,
    reservation_id BIGINT      NOT NULL,
    user_id        BIGINT      NOT NULL,
    queue_token_id CHAR(36)    NOT NULL,
    amount         BIGINT      NOT NULL,
    status         VARCHAR(16) NOT NULL,
    -- The reservation's expiresAt: the last instant a payment is accepted.
    deadline       DATETIME(6) NOT NULL,
    created_at     DATETIME(6) NOT NULL,
    paid_at        DATETIME(6) NULL,
    balance_after  BIGINT      NULL,
    refunded_at    DATETIME(6) NULL,
    refund_reason  VARCHAR(16) NULL,
    ended_at       DATETIME(6) NULL,
    PRIMARY KEY (payment_id),
    CONSTRAINT uk_payment_reservation UNIQUE (reservation_id),
    CONSTRAINT ck_payment_status CHECK (status IN ('PENDING', 'COMPLETED', 'REFUNDED', 'EXPIRED', 'CANCELLED')),
    CONSTRAINT ck_payment_amount CHECK (amount > 0)
);
-- P3: a user's paid payments, newest first (pending and unpaid ones have no paid_at).
CREATE INDEX ix_payment_user_paid ON payment (user_id, paid_at, payment_id);
