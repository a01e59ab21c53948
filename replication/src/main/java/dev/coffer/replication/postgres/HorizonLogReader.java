package dev.coffer.replication.postgres;

import dev.coffer.core.model.LogPosition;
import dev.coffer.core.storage.LogReader;
import dev.coffer.core.storage.LogTruncatedException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reads a log database's log (a shard's or the base store's) in (tx_id, seq) order, and only events
 * whose transaction id is below a horizon that no log writer still in flight is under. Every writer
 * below it has committed or aborted, so no event can later appear below a position this returned.
 * That is what rules out the outbox gap without serialising writers.
 *
 * <p>The first read takes the server's oldest transaction id in flight, from the same statement's
 * snapshot: cheap, and exact while only writers hold ids. When it finds committed events held back,
 * the id holding them may belong to anyone on the server (another database's transaction, an
 * operator's open session), so it asks again with the oldest id among the log writers' gate's
 * holders ({@code log_writers_horizon()}, shard schema V8, base schema V3), and reads in a second
 * statement whose snapshot is taken after that look at the holders. docs/replication.md has the
 * argument.
 */
public final class HorizonLogReader<T> implements LogReader<T> {
  /** Turns one log row into the reader's entry type. */
  @FunctionalInterface
  public interface EntryDecoder<T> {
    T decode(LogPosition position, byte[] payload, Instant appendedAt);
  }

  /** The server's horizon, from the statement's own snapshot. */
  private static final String SERVER_HORIZON = "pg_snapshot_xmin(pg_current_snapshot())";

  /** The log writers' horizon, computed by an earlier statement and bound as text. */
  private static final String BOUND_HORIZON = "CAST(? AS text)::xid8";

  /**
   * The truncation point and the events after a position, in one statement so in one snapshot:
   * truncation deletes events and raises the point in one transaction, so if this snapshot's point
   * is not above the reader's position, none of the events after it had been deleted, and the
   * events read are complete. One row per event; a row with null event columns when there is none.
   * Rows at or above the horizon that this snapshot sees are committed events held back by an older
   * transaction still in flight: {@code held_back}.
   */
  private static String read(String horizon) {
    return "SELECT t.truncated_tx, t.truncated_seq, e.tx_id::text AS tx, e.seq, e.payload,"
        + " e.appended_at, EXISTS (SELECT 1 FROM replication_log WHERE tx_id >= "
        + horizon
        + ") AS held_back FROM log_truncation t LEFT JOIN LATERAL ("
        + "   SELECT tx_id, seq, payload, appended_at FROM replication_log"
        + "   WHERE (tx_id, seq) > (CAST(? AS text)::xid8, ?) AND tx_id < "
        + horizon
        + "   ORDER BY tx_id, seq LIMIT ?) e ON true"
        + " ORDER BY e.tx_id, e.seq";
  }

  private static final String READ = read(SERVER_HORIZON);
  private static final String READ_BELOW = read(BOUND_HORIZON);
  static final String WRITERS_HORIZON = "SELECT log_writers_horizon()::text";

  private final LogDatabase database;
  private final EntryDecoder<T> decoder;
  private final AtomicLong writersHorizonReads = new AtomicLong();

  public HorizonLogReader(LogDatabase database, EntryDecoder<T> decoder) {
    this.database = database;
    this.decoder = decoder;
  }

  @Override
  public Read<T> read(LogPosition after, int max) {
    Batch<T> batch =
        Storage.jdbc(
            database,
            "reading the replication log",
            // The pool's connection, in autocommit mode: each statement has its own snapshot,
            // which the second look below depends on.
            connection -> {
              Batch<T> read = read(connection, READ, null, after, max);
              if (read.heldBack && read.events.size() < max && !read.truncatedAbove(after)) {
                writersHorizonReads.incrementAndGet();
                read = read(connection, READ_BELOW, writersHorizon(connection), after, max);
              }
              return read;
            });
    if (batch.truncatedAbove(after)) {
      throw new LogTruncatedException(after, batch.truncatedAt);
    }
    return new Read<>(batch.events, batch.heldBack);
  }

  private static String writersHorizon(Connection connection) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(WRITERS_HORIZON);
        ResultSet rs = statement.executeQuery()) {
      rs.next();
      return rs.getString(1);
    }
  }

  private Batch<T> read(
      Connection connection, String sql, String horizon, LogPosition after, int max)
      throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      int index = 1;
      if (horizon != null) {
        statement.setString(index++, horizon);
      }
      statement.setString(index++, Long.toString(after.txId()));
      statement.setLong(index++, after.seq());
      if (horizon != null) {
        statement.setString(index++, horizon);
      }
      statement.setInt(index, max);
      Batch<T> read = new Batch<>();
      try (ResultSet rs = statement.executeQuery()) {
        while (rs.next()) {
          addRow(read, rs);
        }
      }
      return read;
    }
  }

  /**
   * Reads that found events held back behind the server's oldest transaction id and looked again
   * with the log writers' own horizon.
   */
  public long writersHorizonReads() {
    return writersHorizonReads.get();
  }

  private void addRow(Batch<T> batch, ResultSet rs) throws SQLException {
    batch.truncatedAt = new LogPosition(rs.getLong("truncated_tx"), rs.getLong("truncated_seq"));
    batch.heldBack = rs.getBoolean("held_back");
    String tx = rs.getString("tx");
    if (tx != null) {
      batch.events.add(
          decoder.decode(
              new LogPosition(Long.parseLong(tx), rs.getLong("seq")),
              rs.getBytes("payload"),
              rs.getObject("appended_at", java.time.OffsetDateTime.class).toInstant()));
    }
  }

  /** What one read returned. */
  private static final class Batch<T> {
    final List<T> events = new ArrayList<>();
    LogPosition truncatedAt = LogPosition.ZERO;
    boolean heldBack;

    boolean truncatedAbove(LogPosition position) {
      return position.compareTo(truncatedAt) < 0;
    }
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
