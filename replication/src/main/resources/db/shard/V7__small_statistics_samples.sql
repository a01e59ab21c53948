-- Autovacuum analyzes a table once a tenth of its rows have changed: on the log and the versions
-- that is about every minute at 100 writes/s a shard. ANALYZE samples 300 rows per unit of the
-- largest statistics target among the table's columns (100 by default: 30,000 rows); on a
-- 20,000-event log that took about 90 ms of CPU, and on the benchmark machine every shard
-- server's worker did it in the same second, which the hosts' apply lag showed as a burst.
-- Both tables are only ever read by key or by index range, where a target of 10 (3,000 rows,
-- about 25 ms on the same log) plans as well; the opaque byte columns need no statistics at all.
-- A column added to either table later must get a target too: PostgresShardStoreIT checks them all.
ALTER TABLE replication_log
    ALTER COLUMN tx_id          SET STATISTICS 10,
    ALTER COLUMN seq            SET STATISTICS 10,
    ALTER COLUMN vault          SET STATISTICS 10,
    ALTER COLUMN entity         SET STATISTICS 10,
    ALTER COLUMN entity_version SET STATISTICS 10,
    ALTER COLUMN appended_at    SET STATISTICS 10,
    ALTER COLUMN payload        SET STATISTICS 0;

ALTER TABLE secret_versions
    ALTER COLUMN vault             SET STATISTICS 10,
    ALTER COLUMN secret            SET STATISTICS 10,
    ALTER COLUMN version           SET STATISTICS 10,
    ALTER COLUMN entity_version    SET STATISTICS 10,
    ALTER COLUMN created_at        SET STATISTICS 10,
    ALTER COLUMN log_tx            SET STATISTICS 10,
    ALTER COLUMN log_seq           SET STATISTICS 10,
    ALTER COLUMN vault_key_version SET STATISTICS 10,
    ALTER COLUMN wrapped_data_key  SET STATISTICS 0,
    ALTER COLUMN ciphertext        SET STATISTICS 0;
