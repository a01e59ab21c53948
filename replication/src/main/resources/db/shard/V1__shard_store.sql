-- A shard store: the vaults placed on this shard, their secrets (encrypted), and the replication log.

CREATE TABLE vaults (
    name           text        COLLATE "C" PRIMARY KEY,
    wrapped_key    bytea       NOT NULL,
    entity_version bigint      NOT NULL,
    created_at     timestamptz NOT NULL
);

-- One row per secret name ever used in a vault; a deleted secret keeps its row as a tombstone so
-- that version numbers and entity versions never go backwards.
CREATE TABLE secrets (
    vault          text        NOT NULL REFERENCES vaults (name),
    name           text        COLLATE "C" NOT NULL,
    entity_version bigint      NOT NULL,
    last_version   bigint      NOT NULL,
    deleted_at     timestamptz,
    created_at     timestamptz NOT NULL,
    updated_at     timestamptz NOT NULL,
    PRIMARY KEY (vault, name)
);

CREATE TABLE secret_versions (
    vault            text        NOT NULL,
    secret           text        NOT NULL,
    version          bigint      NOT NULL,
    entity_version   bigint      NOT NULL,
    created_at       timestamptz NOT NULL,
    wrapped_data_key bytea       NOT NULL,
    ciphertext       bytea       NOT NULL,
    PRIMARY KEY (vault, secret, version),
    FOREIGN KEY (vault, secret) REFERENCES secrets (vault, name)
);

-- The replication log. Positions are (tx_id, seq): tx_id is the writing transaction's id, assigned by
-- PostgreSQL when the transaction first writes; seq orders events within and across transactions.
-- Readers only read below the oldest transaction still in flight (pg_snapshot_xmin), so an event
-- can never appear below a position a reader has passed. See docs/replication.md.
CREATE TABLE replication_log (
    tx_id          xid8        NOT NULL DEFAULT pg_current_xact_id(),
    seq            bigint      GENERATED ALWAYS AS IDENTITY,
    vault          text        NOT NULL,
    entity         text        NOT NULL,
    entity_version bigint      NOT NULL,
    payload        bytea       NOT NULL,
    appended_at    timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (tx_id, seq)
);
