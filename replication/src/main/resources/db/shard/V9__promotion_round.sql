-- A promotion round in one round trip (PostgresCellMembership.promote). Until now a round was three
-- autocommit statements from the control plane: a session-level advisory lock, the round, the
-- unlock. The lock had to be a statement of its own, because a statement's snapshot is taken when it
-- starts: a single statement that waited for the lock would not see a host admitted by the round it
-- waited for, and could raise the watermark past that host's position. In a VOLATILE PL/pgSQL
-- function each statement takes a fresh snapshot, so the round below, which runs after the lock is
-- granted, sees everything the previous round committed: the same order as before, with no round
-- trip between the lock and the round and none for the unlock (a transaction-level lock ends with
-- the call's transaction, after its commit is visible). At the promoter's ~35 rounds a second per
-- shard that is two of every three of its statements gone, in the control plane and in PostgreSQL.
--
-- The key is the 64-bit 0x436f666665725031 ("CofferP1"), the one the session-level lock of earlier
-- releases takes, so their rounds and these still take turns. Advisory, not a row lock: a round
-- that raises nothing takes no transaction id.
--
-- The round: read the watermark, admit the JOINING hosts that reached it, find the lowest member,
-- raise the watermark to it if that is higher, and count the versions that became ACTIVE (for the
-- metric). Hosts it admits are still JOINING in its own snapshot, so they join the members through
-- the update's RETURNING, never twice. The raise compares with the row itself, so the watermark only
-- rises. raised_tx and raised_seq are NULL when nothing was raised.
CREATE FUNCTION promotion_round(OUT watermark_tx bigint, OUT watermark_seq bigint,
                                OUT new_members bigint, OUT raised_tx bigint,
                                OUT raised_seq bigint, OUT promoted_versions bigint)
    LANGUAGE plpgsql VOLATILE AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(4859215112930742321);
    WITH w AS (SELECT activated_tx, activated_seq FROM cell_activation),
         admitted AS (UPDATE cell_hosts h SET state = 'MEMBER' FROM w
                      WHERE h.state = 'JOINING'
                        AND (h.applied_tx, h.applied_seq) >= (w.activated_tx, w.activated_seq)
                      RETURNING h.applied_tx, h.applied_seq),
         lowest AS (SELECT applied_tx, applied_seq
                    FROM (SELECT applied_tx, applied_seq FROM cell_hosts WHERE state = 'MEMBER'
                          UNION ALL SELECT applied_tx, applied_seq FROM admitted) AS m
                    ORDER BY applied_tx, applied_seq LIMIT 1),
         raised AS (UPDATE cell_activation a SET activated_tx = lowest.applied_tx,
                                                 activated_seq = lowest.applied_seq
                    FROM lowest
                    WHERE (lowest.applied_tx, lowest.applied_seq) > (a.activated_tx, a.activated_seq)
                    RETURNING a.activated_tx, a.activated_seq)
    SELECT w.activated_tx, w.activated_seq, (SELECT count(*) FROM admitted),
           raised.activated_tx, raised.activated_seq,
           (SELECT count(*) FROM secret_versions v
            WHERE (v.log_tx, v.log_seq) > (w.activated_tx, w.activated_seq)
              AND (v.log_tx, v.log_seq) <= (raised.activated_tx, raised.activated_seq))
      INTO watermark_tx, watermark_seq, new_members, raised_tx, raised_seq, promoted_versions
      FROM w LEFT JOIN raised ON true;
END
$$;
