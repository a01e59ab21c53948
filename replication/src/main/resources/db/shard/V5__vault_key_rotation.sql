-- Vault key rotation. vaults.wrapped_key now holds the vault's key ring (every version still
-- needed; a single wrapped key stored before this migration reads as a ring of one version 1).

-- Which vault key version wraps each data key: the rewrap job's filter and the proof that a
-- retired version seals nothing any more. Every data key written before rotation existed is under
-- version 1, the only version a vault could have.
ALTER TABLE secret_versions ADD COLUMN vault_key_version integer NOT NULL DEFAULT 1;
CREATE INDEX secret_versions_by_vault_key ON secret_versions (vault, vault_key_version);

-- One row per vault whose key was rotated: the rewrap job's target and bookmark. The job rewraps
-- data keys in (secret, version) order after the bookmark, in transactions that advance it, so a
-- crash resumes where the last committed batch ended. A pass that ends with data keys still under
-- an older version (written by a put that read the ring before the rotation) starts another pass.
CREATE TABLE vault_key_rewraps (
    vault          text        COLLATE "C" PRIMARY KEY REFERENCES vaults (name),
    target_version integer     NOT NULL,
    after_secret   text        COLLATE "C" NOT NULL DEFAULT '',
    after_version  bigint      NOT NULL DEFAULT 0,
    passes         integer     NOT NULL DEFAULT 1,
    rewrapped      bigint      NOT NULL DEFAULT 0,
    started_at     timestamptz NOT NULL,
    updated_at     timestamptz NOT NULL,
    finished_at    timestamptz
);
CREATE INDEX vault_key_rewraps_unfinished ON vault_key_rewraps (vault) WHERE finished_at IS NULL;

-- GCM encryptions under each vault key version, summed over every control plane that reports them:
-- what automatic rotation compares with its threshold (random nonces allow 2^32 per key).
CREATE TABLE vault_key_uses (
    vault       text    COLLATE "C" NOT NULL REFERENCES vaults (name),
    version     integer NOT NULL,
    encryptions bigint  NOT NULL,
    PRIMARY KEY (vault, version)
);
