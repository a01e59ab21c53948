package dev.coffer.replication.postgres;

import dev.coffer.core.event.PositionedEvent;
import dev.coffer.core.event.ReplicationEventCodec;
import dev.coffer.core.model.LogPosition;
import dev.coffer.core.storage.LogTruncatedException;
import dev.coffer.core.storage.ReplicationLogReader;
import java.util.List;

/**
 * Reads the log in (tx_id, seq) order, and only events whose transaction id is below the horizon:
 * the oldest transaction id still in flight, from the same statement's snapshot. Every transaction
 * below the horizon has committed or aborted, so no event can later appear below a position this
 * returned. That is what rules out the outbox gap without serialising writers.
 */
public final class PostgresLogReader implements ReplicationLogReader {
  private static final String READ =
      "SELECT tx_id::text AS tx, seq, payload, appended_at FROM replication_log"
          + " WHERE (tx_id, seq) > (CAST(:tx AS text)::xid8, :seq)"
          + "   AND tx_id < pg_snapshot_xmin(pg_current_snapshot())"
          + " ORDER BY tx_id, seq LIMIT :max";

  private final ShardDatabase database;

  public PostgresLogReader(ShardDatabase database) {
    this.database = database;
  }

  @Override
  public List<PositionedEvent> readAfter(LogPosition after, int max) {
    List<PositionedEvent> events = readEvents(after, max);
    // Checked after the read: if nothing after our position had been deleted by now, the events we
    // read were complete; if it had, we bootstrap (at worst unnecessarily, never skipping).
    LogPosition truncatedAt = truncatedAt();
    if (after.compareTo(truncatedAt) < 0) {
      throw new LogTruncatedException(after, truncatedAt);
    }
    return events;
  }

  /** Every event at or below this position may have been deleted from the log. */
  public LogPosition truncatedAt() {
    return Storage.call(
        "reading the log truncation point",
        () ->
            database
                .jdbi()
                .withHandle(
                    h ->
                        h.createQuery("SELECT truncated_tx, truncated_seq FROM log_truncation")
                            .map((rs, ctx) -> new LogPosition(rs.getLong(1), rs.getLong(2)))
                            .one()));
  }

  private List<PositionedEvent> readEvents(LogPosition after, int max) {
    return Storage.call(
        "reading the replication log",
        () ->
            database
                .jdbi()
                .withHandle(
                    h ->
                        h.createQuery(READ)
                            .bind("tx", Long.toString(after.txId()))
                            .bind("seq", after.seq())
                            .bind("max", max)
                            .map(
                                (rs, ctx) ->
                                    new PositionedEvent(
                                        new LogPosition(
                                            Long.parseLong(rs.getString("tx")), rs.getLong("seq")),
                                        ReplicationEventCodec.decode(rs.getBytes("payload")),
                                        rs.getObject("appended_at", java.time.OffsetDateTime.class)
                                            .toInstant()))
                            .list()));
  }

  /** The newest position in the log that readers may consume (for lag and health reporting). */
  public LogPosition readablePosition() {
    return Storage.call(
        "reading the replication log",
        () ->
            database
                .jdbi()
                .withHandle(
                    h ->
                        h.createQuery(
                                "SELECT tx_id::text AS tx, seq FROM replication_log"
                                    + " WHERE tx_id < pg_snapshot_xmin(pg_current_snapshot())"
                                    + " ORDER BY tx_id DESC, seq DESC LIMIT 1")
                            .map(
                                (rs, ctx) ->
                                    new LogPosition(
                                        Long.parseLong(rs.getString("tx")), rs.getLong("seq")))
                            .findOne()
                            .orElse(LogPosition.ZERO)));
  }
}
