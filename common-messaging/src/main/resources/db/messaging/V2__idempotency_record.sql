-- Idempotency-Key records of commands (DESIGN section 3): one row per (user, route, key), claimed
-- before the command runs and completed in the command's own transaction with the response to replay.
-- The key is compared byte for byte (ascii_bin), so "abc" and "ABC" are different keys.
CREATE TABLE idempotency_record (
    user_id         BIGINT       NOT NULL,
    scope           VARCHAR(64)  NOT NULL,
    idem_key        VARCHAR(255) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    request_hash    CHAR(64)     NOT NULL,
    state           VARCHAR(16)  NOT NULL,
    response_status INT          NULL,
    response_type   VARCHAR(100) NULL,
    response_body   MEDIUMTEXT   NULL,
    created_at      DATETIME(6)  NOT NULL,
    PRIMARY KEY (user_id, scope, idem_key)
);
CREATE INDEX ix_idempotency_record_created_at ON idempotency_record (created_at);
