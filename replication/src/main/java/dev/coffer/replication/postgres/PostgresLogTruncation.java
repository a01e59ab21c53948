package dev.coffer.replication.postgres;

import dev.coffer.core.model.LogPosition;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;

/**
 * Deletes log events that every registered host has applied and that are older than the retention
 * window, and records how far the log is truncated so that a host behind it knows to bootstrap.
 *
 * <p>Every statement here is an autocommit statement, and only the deleting one takes a transaction
 * id, for as long as it runs: a transaction id in flight holds back every tailer's horizon ({@link
 * PostgresLogReader}) until it ends, with no notification to wake them when it does. The round this
 * replaces locked the truncation row first, so every round, deleting or not, held every host of the
 * shard back for its round trips and its scan of the whole log.
 */
public final class PostgresLogTruncation {
  /** What one round deleted; {@code truncatedAt} never decreases. */
  public record Truncation(long deletedEvents, LogPosition truncatedAt) {}

  /** Serialises rounds on a shard, whichever control plane runs them; see {@link #truncate}. */
  private static final long TRUNCATION_LOCK = 0x436f_6666_6572_5431L; // "CofferT1"

  private static final int DEFAULT_CHUNK = 1000;

  /**
   * Is the oldest event both applied by every registered host (joining ones too: a host still
   * catching up must not lose what it is about to read; with no host registered, nothing is) and
   * older than the retention window? The oldest by position is the one to ask about: positions
   * follow the writing transactions' start, so an event can be younger than one after it only by
   * that transaction's duration, and a round that stops at such an event deletes it, and what
   * follows, a round later.
   */
  private static String look(String lowest) {
    return "SELECT t.truncated_tx, t.truncated_seq, EXISTS (SELECT 1 FROM"
        + " (SELECT tx_id, seq, appended_at FROM replication_log"
        + " ORDER BY tx_id, seq LIMIT 1) AS oldest,"
        + " ("
        + lowest
        + ") AS lowest"
        + " WHERE (oldest.tx_id, oldest.seq)"
        + " <= (CAST(lowest.applied_tx AS text)::xid8, lowest.applied_seq)"
        + " AND oldest.appended_at < clock_timestamp() - make_interval(secs => ?))"
        + " FROM log_truncation t";
  }

  /** The lowest position every registered host of a shard's cell has applied. */
  private static final String LOWEST_HOST =
      "SELECT applied_tx, applied_seq FROM cell_hosts ORDER BY applied_tx, applied_seq LIMIT 1";

  /**
   * The newest event of the log: for a log whose readers are not registered anywhere (the base
   * store's, tailed by routers), age alone decides, and a reader that falls behind the window
   * bootstraps from a snapshot.
   */
  private static final String NEWEST_EVENT =
      "SELECT tx_id::text::bigint AS applied_tx, seq AS applied_seq FROM replication_log"
          + " ORDER BY tx_id DESC, seq DESC LIMIT 1";

  /**
   * Deletes up to a chunk of the oldest events that every registered host has applied and that are
   * older than the window, and raises the truncation point to the last one deleted — in one
   * statement, so the transaction id it takes is held only while it runs, and a chunk bounds that
   * time however much has aged out. The raise compares with the row itself, so the point never goes
   * down, even against a round of a release that did not take the lock. The last column is the
   * point after the statement (the raised one, or the row as it was).
   */
  private static String deleteChunk(String lowest) {
    return "WITH lowest AS (SELECT CAST(applied_tx AS text)::xid8 AS tx, applied_seq AS seq"
        + " FROM ("
        + lowest
        + ") AS l),"
        + " chunk AS (SELECT l.tx_id, l.seq FROM replication_log l, lowest"
        + " WHERE (l.tx_id, l.seq) <= (lowest.tx, lowest.seq)"
        + " ORDER BY l.tx_id, l.seq LIMIT ?),"
        + " gone AS (DELETE FROM replication_log l USING chunk"
        + " WHERE l.tx_id = chunk.tx_id AND l.seq = chunk.seq"
        + " AND l.appended_at < clock_timestamp() - make_interval(secs => ?)"
        + " RETURNING l.tx_id, l.seq),"
        + " last AS (SELECT tx_id::text::bigint AS tx, seq FROM gone"
        + " ORDER BY tx_id DESC, seq DESC LIMIT 1),"
        + " raised AS (UPDATE log_truncation t SET truncated_tx = last.tx,"
        + " truncated_seq = last.seq FROM last"
        + " WHERE (t.truncated_tx, t.truncated_seq) < (last.tx, last.seq)"
        + " RETURNING t.truncated_tx, t.truncated_seq)"
        + " SELECT (SELECT count(*) FROM gone),"
        + " COALESCE((SELECT truncated_tx FROM raised), (SELECT truncated_tx FROM log_truncation)),"
        + " COALESCE((SELECT truncated_seq FROM raised),"
        + " (SELECT truncated_seq FROM log_truncation))";
  }

  private final LogDatabase database;
  private final int chunk;
  private final String look;
  private final String deleteChunk;

  public PostgresLogTruncation(ShardDatabase database) {
    this(database, DEFAULT_CHUNK);
  }

  /**
   * @param chunk the most events one deleting statement removes (1,000 by default): the bound on
   *     how long it holds the tailers back
   */
  public PostgresLogTruncation(ShardDatabase database, int chunk) {
    this(database.log(), chunk, LOWEST_HOST);
  }

  private PostgresLogTruncation(LogDatabase database, int chunk, String lowest) {
    if (chunk < 1) {
      throw new IllegalArgumentException("chunk must be positive");
    }
    this.database = database;
    this.chunk = chunk;
    this.look = look(lowest);
    this.deleteChunk = deleteChunk(lowest);
  }

  /**
   * Truncation of a log that no registered reader bounds: events older than the window go, however
   * far behind a reader is (it then bootstraps from a snapshot). For the base store's log.
   */
  public static PostgresLogTruncation byAgeOnly(LogDatabase database) {
    return new PostgresLogTruncation(database, DEFAULT_CHUNK, NEWEST_EVENT);
  }

  /**
   * One round: a look, in one statement that takes no transaction id, and if the oldest event is
   * due, chunks of deletes under a session-level advisory lock (which takes none either) until a
   * chunk comes back short. Almost every round ends at the look: rounds run every half minute,
   * events age out of an hour.
   */
  public Truncation truncate(Duration retention) {
    double seconds = retention.toMillis() / 1000.0;
    return Storage.jdbc(
        database,
        "truncating the replication log",
        connection -> {
          // The pool's connection, in autocommit mode: each statement commits as it ends.
          try (PreparedStatement due = connection.prepareStatement(look)) {
            due.setDouble(1, seconds);
            try (ResultSet rs = due.executeQuery()) {
              rs.next();
              if (!rs.getBoolean(3)) {
                return new Truncation(0, new LogPosition(rs.getLong(1), rs.getLong(2)));
              }
            }
          }
          return SessionLock.around(
              connection,
              TRUNCATION_LOCK,
              () -> {
                long deleted = 0;
                while (true) {
                  try (PreparedStatement delete = connection.prepareStatement(deleteChunk)) {
                    delete.setInt(1, chunk);
                    delete.setDouble(2, seconds);
                    try (ResultSet rs = delete.executeQuery()) {
                      rs.next();
                      long now = rs.getLong(1);
                      deleted += now;
                      if (now < chunk) {
                        return new Truncation(
                            deleted, new LogPosition(rs.getLong(2), rs.getLong(3)));
                      }
                    }
                  }
                }
              });
        });
  }
}
