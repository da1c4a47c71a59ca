-- Reservations and the seat holds that make them (DESIGN section 5).

CREATE TABLE reservation (
    reservation_id BIGINT      NOT NULL AUTO_INCREMENT,
    user_id        BIGINT      NOT NULL,
    queue_token_id CHAR(36)    NOT NULL,
    -- The queue token while the reservation is live (PENDING_PAYMENT or CONFIRMED), NULL after:
    -- the unique key allows one live reservation per token, and many ended ones.
    live_token_id  CHAR(36)    NULL,
    concert_id     BIGINT      NOT NULL,
    schedule_id    BIGINT      NOT NULL,
    seat_nos       VARCHAR(32) NOT NULL,
    amount         BIGINT      NOT NULL,
    status         VARCHAR(16) NOT NULL,
    created_at     DATETIME(6) NOT NULL,
    expires_at     DATETIME(6) NOT NULL,
    ended_at       DATETIME(6) NULL,
    payment_id     BIGINT      NULL,
    PRIMARY KEY (reservation_id),
    CONSTRAINT uk_reservation_live_token UNIQUE (live_token_id)
);
-- The expiry job's scan: pending holds by deadline.
CREATE INDEX ix_reservation_status_expires_at ON reservation (status, expires_at);

-- Who holds a seat. The primary key makes a second hold of a seat fail in the database.
-- A row exists while the seat is HELD (pending payment) or SOLD; releasing a hold deletes it.
CREATE TABLE seat_hold (
    schedule_id    BIGINT      NOT NULL,
    seat_no        INT         NOT NULL,
    reservation_id BIGINT      NOT NULL,
    status         VARCHAR(8)  NOT NULL,
    held_at        DATETIME(6) NOT NULL,
    PRIMARY KEY (schedule_id, seat_no)
);
CREATE INDEX ix_seat_hold_reservation ON seat_hold (reservation_id);
