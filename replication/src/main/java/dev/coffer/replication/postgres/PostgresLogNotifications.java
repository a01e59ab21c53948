package dev.coffer.replication.postgres;

import dev.coffer.replication.apply.LogWakeups;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wakes a tailing host when a writer commits, through LISTEN/NOTIFY on one dedicated connection.
 * Notifications are only a latency optimisation: the tailer polls on a timer too, so a lost
 * connection or a missed notification delays an event by at most one poll interval.
 */
public final class PostgresLogNotifications implements LogWakeups {
  private static final Logger LOG = LoggerFactory.getLogger(PostgresLogNotifications.class);

  private final ShardDatabase database;
  private Connection connection;

  public PostgresLogNotifications(ShardDatabase database) {
    this.database = database;
  }

  @Override
  public synchronized boolean await(Duration timeout) {
    long millis = Math.max(1, timeout.toMillis());
    try {
      PGConnection listening = listen();
      PGNotification[] notifications = listening.getNotifications((int) millis);
      return notifications != null && notifications.length > 0;
    } catch (SQLException e) {
      LOG.warn(
          "Lost the notification connection to the shard store ({}); polling meanwhile.",
          e.getSQLState());
      closeQuietly();
      sleep(millis);
      return false;
    }
  }

  private PGConnection listen() throws SQLException {
    if (connection == null || connection.isClosed()) {
      connection = database.dataSource().getConnection();
      connection.setAutoCommit(true);
      try (Statement statement = connection.createStatement()) {
        statement.execute("LISTEN " + PostgresLogWriter.CHANNEL);
      }
    }
    return connection.unwrap(PGConnection.class);
  }

  @Override
  public synchronized void close() {
    closeQuietly();
  }

  private void closeQuietly() {
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException ignored) {
        // Closing a broken connection: nothing more to do.
      }
      connection = null;
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
