-- Snapshot bootstrap needs each secret's latest tombstone (so a replayed older put cannot resurrect a
-- deleted version), and hosts need to know how far the log has been truncated.

ALTER TABLE secrets ADD COLUMN tombstone_entity_version bigint NOT NULL DEFAULT 0;
UPDATE secrets SET tombstone_entity_version = entity_version WHERE deleted_at IS NOT NULL;

-- One row: every log event at or below this position may have been deleted. Never decreases.
CREATE TABLE log_truncation (
    id            boolean PRIMARY KEY DEFAULT true CHECK (id),
    truncated_tx  bigint  NOT NULL,
    truncated_seq bigint  NOT NULL
);
INSERT INTO log_truncation (truncated_tx, truncated_seq) VALUES (0, 0);
