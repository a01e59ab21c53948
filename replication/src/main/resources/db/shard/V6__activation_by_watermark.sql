-- A version is ACTIVE exactly when its put event's log position is at or below the cell's
-- activation watermark (cell_activation), which only rises. Storing the state per row meant one
-- more row version, with its index entries and WAL, for every write when it was promoted; the
-- state is now derived from the position the row already records. Rows written before activation
-- existed have position (0, 0), at or below any watermark: ACTIVE, as before.
DROP INDEX secret_versions_pending;
ALTER TABLE secret_versions DROP COLUMN state;
-- The promoter counts the versions each round activates (a metric) by range over positions.
CREATE INDEX secret_versions_by_log_position ON secret_versions (log_tx, log_seq);
