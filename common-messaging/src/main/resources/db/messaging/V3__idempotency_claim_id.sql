-- Which execution holds an IN_PROGRESS claim: a fencing token. A retry that takes over a stalled claim writes a
-- new one, and an execution completes or releases the record only while it still holds its own, so two
-- executions of one key can never both commit, whatever the instances' clocks say. NULL on records written
-- before this column existed.
ALTER TABLE idempotency_record ADD COLUMN claim_id CHAR(36) NULL;
