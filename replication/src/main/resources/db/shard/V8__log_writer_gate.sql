-- The log writers' gate: every transaction that appends to the replication log holds a shared
-- advisory lock on one key, taken before the transaction has an id. A tailer that finds committed
-- events held back by the oldest transaction id on the server (PostgresLogReader) can then tell the
-- writers' transactions from everyone else's: an id in flight that belongs to no gate holder can
-- never append, so it need not hold the log back. Without this, any transaction with an id anywhere
-- on the shard's server - another database's, an operator's open psql session, a migration -
-- stopped every host of the shard from applying anything newer until it ended.
--
-- The key is the 64-bit 0x436f666665724c57 ("CofferLW"); pg_locks shows it as classid 1131374182,
-- objid 1701989463, objsubid 1; both functions below name it, and nothing else does.

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

CREATE TRIGGER replication_log_requires_gate
    BEFORE INSERT ON replication_log
    FOR EACH ROW EXECUTE FUNCTION replication_log_requires_gate();

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
