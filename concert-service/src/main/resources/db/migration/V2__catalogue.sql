-- Concerts, their dates (schedules) and each date's seats. A seat row holds both its layout
-- (grade, price: set when the date is created) and its availability (status, reservation_id:
-- the view kept from reservation.events; reservation-service is the authority on holds).

CREATE TABLE concert (
    concert_id BIGINT       NOT NULL AUTO_INCREMENT,
    title      VARCHAR(200) NOT NULL,
    venue      VARCHAR(200) NOT NULL,
    PRIMARY KEY (concert_id)
);

-- starts_at is a UTC instant; time_zone (an IANA id such as 'Asia/Seoul') is where it is played.
CREATE TABLE schedule (
    schedule_id BIGINT      NOT NULL AUTO_INCREMENT,
    concert_id  BIGINT      NOT NULL,
    starts_at   DATETIME(6) NOT NULL,
    time_zone   VARCHAR(64) NOT NULL,
    seat_count  INT         NOT NULL,
    PRIMARY KEY (schedule_id),
    CONSTRAINT fk_schedule_concert FOREIGN KEY (concert_id) REFERENCES concert (concert_id),
    CONSTRAINT ck_schedule_seat_count CHECK (seat_count BETWEEN 1 AND 50)
);
-- C2: a concert's upcoming dates, soonest first.
CREATE INDEX ix_schedule_concert_starts_at ON schedule (concert_id, starts_at);

-- The primary key serves every read (a date's seats in order, its available count) and every
-- event-driven update (WHERE schedule_id = ? AND seat_no IN (...)).
CREATE TABLE seat (
    schedule_id    BIGINT      NOT NULL,
    seat_no        INT         NOT NULL,
    grade          VARCHAR(16) NOT NULL,
    price          BIGINT      NOT NULL,
    status         VARCHAR(16) NOT NULL DEFAULT 'AVAILABLE',
    reservation_id BIGINT      NULL,
    PRIMARY KEY (schedule_id, seat_no),
    CONSTRAINT fk_seat_schedule FOREIGN KEY (schedule_id) REFERENCES schedule (schedule_id),
    CONSTRAINT ck_seat_seat_no CHECK (seat_no BETWEEN 1 AND 50),
    CONSTRAINT ck_seat_price CHECK (price >= 0),
    CONSTRAINT ck_seat_status CHECK (status IN ('AVAILABLE', 'HELD', 'SOLD')),
    -- A held or sold seat always names its reservation; an available one never does.
    CONSTRAINT ck_seat_reservation CHECK ((status = 'AVAILABLE') = (reservation_id IS NULL))
);
