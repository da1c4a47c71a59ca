-- Queue tokens. The auto-increment sequence is the order of arrival: strictly increasing,
-- assigned at insert (so not in commit order; admission orders by it, never walks it as a cursor).
CREATE TABLE queue_token (
    sequence      BIGINT        NOT NULL AUTO_INCREMENT,
    token_id      CHAR(36)      NOT NULL,
    user_id       BIGINT        NOT NULL,
    status        VARCHAR(16)   NOT NULL,
    jwt           VARCHAR(1024) NOT NULL,
    issued_at     DATETIME(6)   NOT NULL,
    expires_at    DATETIME(6)   NOT NULL,
    last_seen_at  DATETIME(6)   NOT NULL,
    activated_at  DATETIME(6)   NULL,
    active_until  DATETIME(6)   NULL,
    ended_at      DATETIME(6)   NULL,
    expiry_reason VARCHAR(32)   NULL,
    PRIMARY KEY (sequence),
    CONSTRAINT uk_queue_token_token_id UNIQUE (token_id)
);
-- Admission takes WAITING in sequence order; expiry finds ACTIVE past their end and idle WAITING.
CREATE INDEX ix_queue_token_status_sequence ON queue_token (status, sequence);
CREATE INDEX ix_queue_token_status_active_until ON queue_token (status, active_until);
CREATE INDEX ix_queue_token_status_last_seen ON queue_token (status, last_seen_at);

-- One live (WAITING or ACTIVE) token per user: a second join finds the key taken.
CREATE TABLE live_token (
    user_id  BIGINT   NOT NULL,
    token_id CHAR(36) NOT NULL,
    PRIMARY KEY (user_id)
);

-- The queue's run-time state, one row, shared by every instance.
CREATE TABLE queue_state (
    id                INT         NOT NULL,
    paused            BOOLEAN     NOT NULL,
    admit_per_second  INT         NOT NULL,
    max_active        INT         NOT NULL,
    admitted_through  BIGINT      NOT NULL,
    admitted_total    BIGINT      NOT NULL,
    last_admission_at DATETIME(6) NULL,
    PRIMARY KEY (id)
);

-- ShedLock: jobs run on one instance at a time, judged by the database's clock.
CREATE TABLE shedlock (
    name       VARCHAR(64)  NOT NULL,
    lock_until TIMESTAMP(3) NOT NULL,
    locked_at  TIMESTAMP(3) NOT NULL,
    locked_by  VARCHAR(255) NOT NULL,
    PRIMARY KEY (name)
);
