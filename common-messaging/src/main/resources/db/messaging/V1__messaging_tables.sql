-- Tables of the shared messaging library, kept in every service's own schema under a history
-- table of their own (messaging_schema_history), so service migrations keep their own numbering.

-- Transactional outbox: written in the business transaction, the insert last; sent later by the relay.
CREATE TABLE outbox_event (
    id             BIGINT       NOT NULL AUTO_INCREMENT,
    event_id       CHAR(36)     NOT NULL,
    topic          VARCHAR(249) NOT NULL,
    message_key    VARCHAR(255) NOT NULL,
    event_type     VARCHAR(100) NOT NULL,
    schema_version INT          NOT NULL,
    aggregate_type VARCHAR(100) NOT NULL,
    aggregate_id   VARCHAR(100) NOT NULL,
    envelope       TEXT         NOT NULL,
    traceparent    VARCHAR(100) NULL,
    created_at     DATETIME(6)  NOT NULL,
    sent_at        DATETIME(6)  NULL,
    PRIMARY KEY (id),
    CONSTRAINT uk_outbox_event_event_id UNIQUE (event_id)
);
-- Unsent rows in id order (sent_at IS NULL), and sent rows by age for the purge.
CREATE INDEX ix_outbox_event_sent_at_id ON outbox_event (sent_at, id);

-- Events a consumer group has applied, recorded in the same transaction as the effect.
CREATE TABLE processed_event (
    consumer_group VARCHAR(100) NOT NULL,
    event_id       CHAR(36)     NOT NULL,
    processed_at   DATETIME(6)  NOT NULL,
    PRIMARY KEY (consumer_group, event_id)
);
CREATE INDEX ix_processed_event_processed_at ON processed_event (processed_at);

-- Leases that keep one active relay per service across instances (times are the database's clock).
CREATE TABLE messaging_lease (
    name       VARCHAR(100) NOT NULL,
    holder     VARCHAR(200) NULL,
    expires_at DATETIME(6)  NOT NULL,
    PRIMARY KEY (name)
);
INSERT INTO messaging_lease (name, holder, expires_at) VALUES ('outbox-relay', NULL, '1970-01-02 00:00:00');
