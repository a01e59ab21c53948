-- The base store's replication log, so that a process (a router) can tail placement changes into a
-- local replica with the same tailer the hosts use on a shard's log. The log table, its truncation
-- point and the log writers' gate are the shard store's (shard schema V1, V3 and V8), definition for
-- definition: the same readers, writers and notifications serve both, and a test compares the two
-- databases' definitions. The gate's trigger comes in V5, after V4 has written the placements that
-- existed before this log into it.

-- Every change to a shard or a placement takes a version from here, so a vault's versions keep
-- growing even when its placement is dropped and the name taken again.
CREATE SEQUENCE placement_versions;

ALTER TABLE shards ADD COLUMN version bigint NOT NULL DEFAULT nextval('placement_versions');
ALTER TABLE vault_placements ADD COLUMN version bigint NOT NULL DEFAULT nextval('placement_versions');
ALTER TABLE shards ALTER COLUMN version DROP DEFAULT;
ALTER TABLE vault_placements ALTER COLUMN version DROP DEFAULT;

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

-- Never raised today: the base log holds one entry per placement change and a new replica replays
-- it from the start.
CREATE TABLE log_truncation (
    id            boolean PRIMARY KEY DEFAULT true CHECK (id),
    truncated_tx  bigint  NOT NULL,
    truncated_seq bigint  NOT NULL
);
INSERT INTO log_truncation (truncated_tx, truncated_seq) VALUES (0, 0);

-- The log writers' gate, as in shard schema V8 (which explains the key and the argument).

-- Enters the gate for the rest of the transaction; true, so it can sit in a WHERE clause. Refuses a
-- transaction that already has an id: a writer that took its id first could be in flight unseen by
-- a tailer that looked at the gate's holders before this lock was granted, and its events would
-- land below a position that tailer already passed. Entering twice is harmless.
CREATE FUNCTION log_writer_gate() RETURNS boolean
    LANGUAGE plpgsql VOLATILE AS $$
BEGIN
    IF current_setting('coffer.log_writer_gate', true) = 'on' THEN
        RETURN true;
    END IF;
    IF pg_current_xact_id_if_assigned() IS NOT NULL THEN
        RAISE EXCEPTION 'a replication log writer must enter the gate before its transaction takes an id'
            USING ERRCODE = 'CG001';
    END IF;
    PERFORM pg_advisory_xact_lock_shared(4859215112930741335);
    PERFORM set_config('coffer.log_writer_gate', 'on', true);
    RETURN true;
END
$$;

-- Every append must come through the gate: a writer that forgot it would break the tailers'
-- no-skip argument silently, so the database refuses the row instead.
CREATE FUNCTION replication_log_requires_gate() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('coffer.log_writer_gate', true) IS DISTINCT FROM 'on' THEN
        RAISE EXCEPTION 'appending to the replication log outside the log writers'' gate'
            USING ERRCODE = 'CG002';
    END IF;
    RETURN NEW;
END
$$;

-- The oldest transaction id a log writer may still commit with, as a tailer may use it in place of
-- the server-wide horizon: the smallest id among the gate's current holders, and no more than the
-- first id not yet assigned when this statement's snapshot was taken (a holder with no id yet, or a
-- writer not yet in the gate, can only take an id at or above that). The caller must read the log
-- in a later statement, with a later snapshot: a writer that commits between this statement's
-- snapshot and its look at the locks is no longer a holder, and only a snapshot taken after the
-- look is sure to show its events. backend_xid is a 32-bit id of a transaction still running, so
-- within 2^31 of the snapshot's xmax, which gives its epoch.
--
-- PL/pgSQL so that the plan is made once per session (a SQL function's is made on every call: 0.7
-- ms, ten times the query), and on the functions under the pg_locks and pg_stat_activity views.
-- PostgreSQL reads the other backends' ids once per transaction and keeps that reading; the
-- function discards it first, so that a call later in a transaction looks afresh too.
CREATE FUNCTION log_writers_horizon() RETURNS xid8
    LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    horizon bigint;
BEGIN
    PERFORM pg_catalog.pg_stat_clear_snapshot();
    SELECT LEAST(s.xmax, min(s.xmax - ((((s.xmax & 4294967295) - h.xid) % 4294967296
                                        + 4294967296 + 2147483648) % 4294967296 - 2147483648)))
      INTO horizon
      FROM (SELECT pg_snapshot_xmax(pg_current_snapshot())::text::bigint AS xmax) s
      LEFT JOIN (
        SELECT a.backend_xid::text::bigint AS xid
        FROM pg_catalog.pg_lock_status() l
        JOIN pg_catalog.pg_stat_get_activity(NULL) a ON a.pid = l.pid
        WHERE l.locktype = 'advisory' AND l.granted
          AND l.database = (SELECT oid FROM pg_catalog.pg_database
                            WHERE datname = current_database())
          AND l.classid = 1131374182 AND l.objid = 1701989463 AND l.objsubid = 1
          AND a.backend_xid IS NOT NULL) h ON true
      GROUP BY s.xmax;
    RETURN horizon::text::xid8;
END
$$;
