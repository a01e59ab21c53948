package dev.coffer.replication.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * A session-level advisory lock held around work of autocommit statements on one connection.
 * Advisory rather than a row lock, because a row lock takes a transaction id, and an id in flight
 * holds back every tailer's horizon ({@link PostgresLogReader}) with nothing to wake them when it
 * ends; session-level, because the work is several statements that each commit as they end.
 */
final class SessionLock {
  /** Work on the locked connection. */
  @FunctionalInterface
  interface Work<T> {
    T run() throws SQLException;
  }

  private SessionLock() {}

  static <T> T around(Connection connection, long key, Work<T> work) throws SQLException {
    call(connection, "SELECT pg_advisory_lock(?)", key);
    try {
      return work.run();
    } finally {
      // A session lock outlives the statement, so it must be given back before the connection
      // returns to the pool; if the connection broke instead, the session and its lock ended with
      // it.
      call(connection, "SELECT pg_advisory_unlock(?)", key);
    }
  }

  private static void call(Connection connection, String sql, long key) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setLong(1, key);
      statement.execute();
    }
  }
}
