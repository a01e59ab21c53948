-- Application-level version stages (CURRENT, PREVIOUS, PENDING), as in AWS Secrets Manager and OCI
-- Vault: which version of a secret holds each stage, 0 for none. Not the replication state of
-- secret_versions.state (PENDING/ACTIVE), which says whether every host has a version yet.
-- Only live secrets have stages; a delete clears them with the versions.

ALTER TABLE secrets
    ADD COLUMN current_version  bigint NOT NULL DEFAULT 0,
    ADD COLUMN previous_version bigint NOT NULL DEFAULT 0,
    ADD COLUMN pending_version  bigint NOT NULL DEFAULT 0;

-- Before stages every put made its version the one reads returned, and nothing was PREVIOUS: the
-- same meaning replicas give to put events of the old encoding, so both sides agree.
UPDATE secrets SET current_version = last_version WHERE deleted_at IS NULL;
