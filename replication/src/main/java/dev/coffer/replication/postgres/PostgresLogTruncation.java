package dev.coffer.replication.postgres;

import dev.coffer.core.model.LogPosition;
import java.time.Duration;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;

/**
 * Deletes log events that every registered host has applied and that are older than the retention
 * window, and records how far the log is truncated so that a host behind it knows to bootstrap.
 */
public final class PostgresLogTruncation {
  /** What one round deleted; {@code truncatedAt} never decreases. */
  public record Truncation(long deletedEvents, LogPosition truncatedAt) {}

  private final ShardDatabase database;

  public PostgresLogTruncation(ShardDatabase database) {
    this.database = database;
  }

  public Truncation truncate(Duration retention) {
    return Storage.call(
        "truncating the replication log",
        () ->
            database
                .jdbi()
                .inTransaction(
                    TransactionIsolationLevel.READ_COMMITTED, h -> truncate(h, retention)));
  }

  private static Truncation truncate(Handle h, Duration retention) {
    LogPosition truncatedAt =
        h.createQuery("SELECT truncated_tx, truncated_seq FROM log_truncation FOR UPDATE")
            .map((rs, ctx) -> new LogPosition(rs.getLong(1), rs.getLong(2)))
            .one();
    // Every registered host counts, joining ones too: a host still catching up must not lose the
    // events it is about to read. With no host registered nothing is truncated.
    Optional<LogPosition> lowest =
        h.createQuery(
                "SELECT applied_tx, applied_seq FROM cell_hosts"
                    + " ORDER BY applied_tx, applied_seq LIMIT 1")
            .map((rs, ctx) -> new LogPosition(rs.getLong(1), rs.getLong(2)))
            .findOne();
    if (lowest.isEmpty()) {
      return new Truncation(0, truncatedAt);
    }
    long[] deleted =
        h.createQuery(
                "WITH gone AS (DELETE FROM replication_log"
                    + " WHERE (tx_id, seq) <= (CAST(:tx AS text)::xid8, :seq)"
                    + " AND appended_at < clock_timestamp() - make_interval(secs => :secs)"
                    + " RETURNING tx_id, seq)"
                    + " SELECT count(*), COALESCE(max(tx_id::text::bigint), 0),"
                    + " COALESCE((SELECT seq FROM gone ORDER BY tx_id DESC, seq DESC LIMIT 1), 0)"
                    + " FROM gone")
            .bind("tx", Long.toString(lowest.get().txId()))
            .bind("seq", lowest.get().seq())
            .bind("secs", retention.toMillis() / 1000.0)
            .map((rs, ctx) -> new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)})
            .one();
    if (deleted[0] == 0) {
      return new Truncation(0, truncatedAt);
    }
    LogPosition newest = LogPosition.max(truncatedAt, new LogPosition(deleted[1], deleted[2]));
    h.createUpdate("UPDATE log_truncation SET truncated_tx = :tx, truncated_seq = :seq")
        .bind("tx", newest.txId())
        .bind("seq", newest.seq())
        .execute();
    return new Truncation(deleted[0], newest);
  }
}
