-- The cell's registered hosts and the positions they report, and each version's activation state.

-- A host joins as JOINING and counts for activation only once it has caught up with what is already
-- ACTIVE (then MEMBER): that keeps "ACTIVE implies applied on every member" true while a host joins.
CREATE TABLE cell_hosts (
    host_id       text        COLLATE "C" PRIMARY KEY,
    state         text        NOT NULL CHECK (state IN ('JOINING', 'MEMBER')),
    applied_tx    bigint      NOT NULL DEFAULT 0,
    applied_seq   bigint      NOT NULL DEFAULT 0,
    registered_at timestamptz NOT NULL,
    reported_at   timestamptz NOT NULL
);

-- One row: every PENDING version at or below this position has been promoted; it never decreases.
CREATE TABLE cell_activation (
    id             boolean PRIMARY KEY DEFAULT true CHECK (id),
    activated_tx   bigint  NOT NULL,
    activated_seq  bigint  NOT NULL
);
INSERT INTO cell_activation (activated_tx, activated_seq) VALUES (0, 0);

-- Versions written before activation existed were served already: they start ACTIVE.
ALTER TABLE secret_versions
    ADD COLUMN state   text   NOT NULL DEFAULT 'ACTIVE' CHECK (state IN ('PENDING', 'ACTIVE')),
    ADD COLUMN log_tx  bigint NOT NULL DEFAULT 0,
    ADD COLUMN log_seq bigint NOT NULL DEFAULT 0;

CREATE INDEX secret_versions_pending ON secret_versions (log_tx, log_seq) WHERE state = 'PENDING';
