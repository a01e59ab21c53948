-- Every append to the base store's log must come through the log writers' gate (as shard schema
-- V8 has it for a shard's log); created after V4 seeded the log outside it, in the migration's
-- own transaction, which no tailer could read across.

CREATE TRIGGER replication_log_requires_gate
    BEFORE INSERT ON replication_log
    FOR EACH ROW EXECUTE FUNCTION replication_log_requires_gate();

