-- Effects of the test consumer: how often each token's event was applied, and a row to lock.
CREATE TABLE token_seen (
    token_id VARCHAR(64) NOT NULL,
    applied  INT         NOT NULL,
    PRIMARY KEY (token_id)
);
CREATE TABLE lockable (
    id    INT    NOT NULL,
    value BIGINT NOT NULL,
    PRIMARY KEY (id)
);
INSERT INTO lockable (id, value) VALUES (1, 0);
