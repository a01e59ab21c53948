-- The base store: which shards exist, and which shard holds each vault.

CREATE TABLE shards (
    id            text        COLLATE "C" PRIMARY KEY,
    registered_at timestamptz NOT NULL
);

CREATE TABLE vault_placements (
    vault      text        COLLATE "C" PRIMARY KEY,
    shard      text        NOT NULL REFERENCES shards (id),
    state      text        NOT NULL CHECK (state IN ('CREATING', 'ACTIVE')),
    created_at timestamptz NOT NULL
);

CREATE INDEX vault_placements_by_shard ON vault_placements (shard);
