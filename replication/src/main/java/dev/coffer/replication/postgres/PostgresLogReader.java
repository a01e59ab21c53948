package dev.coffer.replication.postgres;

import dev.coffer.core.event.PositionedEvent;
import dev.coffer.core.event.ReplicationEventCodec;
import dev.coffer.core.model.LogPosition;
import dev.coffer.core.storage.LogTruncatedException;
import dev.coffer.core.storage.ReplicationLogReader;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the log in (tx_id, seq) order, and only events whose transaction id is below the horizon:
 * the oldest transaction id still in flight, from the same statement's snapshot. Every transaction
 * below the horizon has committed or aborted, so no event can later appear below a position this
 * returned. That is what rules out the outbox gap without serialising writers.
 */
public final class PostgresLogReader implements ReplicationLogReader {
  /**
   * The truncation point and the events after a position, in one statement so in one snapshot:
   * truncation deletes events and raises the point in one transaction, so if this snapshot's point
   * is not above the reader's position, none of the events after it had been deleted, and the
   * events read are complete. One row per event; a row with null event columns when there is none.
   * Rows at or above the horizon that this snapshot sees are committed events held back by an older
   * transaction still in flight: {@code held_back}.
   */
  private static final String READ =
      "SELECT t.truncated_tx, t.truncated_seq, e.tx_id::text AS tx, e.seq, e.payload,"
          + " e.appended_at, EXISTS (SELECT 1 FROM replication_log"
          + "   WHERE tx_id >= pg_snapshot_xmin(pg_current_snapshot())) AS held_back"
          + " FROM log_truncation t LEFT JOIN LATERAL ("
          + "   SELECT tx_id, seq, payload, appended_at FROM replication_log"
          + "   WHERE (tx_id, seq) > (CAST(? AS text)::xid8, ?)"
          + "     AND tx_id < pg_snapshot_xmin(pg_current_snapshot())"
          + "   ORDER BY tx_id, seq LIMIT ?) e ON true"
          + " ORDER BY e.tx_id, e.seq";

  private final ShardDatabase database;

  public PostgresLogReader(ShardDatabase database) {
    this.database = database;
  }

  @Override
  public List<PositionedEvent> readAfter(LogPosition after, int max) {
    return read(after, max).events();
  }

  @Override
  public Read read(LogPosition after, int max) {
    Batch batch =
        Storage.jdbc(
            database,
            "reading the replication log",
            connection -> {
              try (PreparedStatement statement = connection.prepareStatement(READ)) {
                statement.setString(1, Long.toString(after.txId()));
                statement.setLong(2, after.seq());
                statement.setInt(3, max);
                Batch read = new Batch();
                try (ResultSet rs = statement.executeQuery()) {
                  while (rs.next()) {
                    addRow(read, rs);
                  }
                }
                return read;
              }
            });
    if (after.compareTo(batch.truncatedAt) < 0) {
      throw new LogTruncatedException(after, batch.truncatedAt);
    }
    return new Read(batch.events, batch.heldBack);
  }

  private static void addRow(Batch batch, ResultSet rs) throws SQLException {
    batch.truncatedAt = new LogPosition(rs.getLong("truncated_tx"), rs.getLong("truncated_seq"));
    batch.heldBack = rs.getBoolean("held_back");
    String tx = rs.getString("tx");
    if (tx != null) {
      batch.events.add(
          new PositionedEvent(
              new LogPosition(Long.parseLong(tx), rs.getLong("seq")),
              ReplicationEventCodec.decode(rs.getBytes("payload")),
              rs.getObject("appended_at", java.time.OffsetDateTime.class).toInstant()));
    }
  }

  /** What one read returned. */
  private static final class Batch {
    final List<PositionedEvent> events = new ArrayList<>();
    LogPosition truncatedAt = LogPosition.ZERO;
    boolean heldBack;
  }

  /** The newest position in the log that readers may consume (for lag and health reporting). */
  public LogPosition readablePosition() {
    return Storage.withHandle(
        database,
        "reading the replication log",
        h ->
            h.createQuery(
                    "SELECT tx_id::text AS tx, seq FROM replication_log"
                        + " WHERE tx_id < pg_snapshot_xmin(pg_current_snapshot())"
                        + " ORDER BY tx_id DESC, seq DESC LIMIT 1")
                .map(
                    (rs, ctx) ->
                        new LogPosition(Long.parseLong(rs.getString("tx")), rs.getLong("seq")))
                .findOne()
                .orElse(LogPosition.ZERO));
  }
}
