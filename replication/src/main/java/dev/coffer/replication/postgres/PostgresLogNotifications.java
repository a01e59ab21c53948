package dev.coffer.replication.postgres;

import dev.coffer.replication.apply.LogWakeups;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
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

  private static final long SLICE_MILLIS = 100;

  private final ShardDatabase database;
  private final String channel;
  private Connection connection;

  /** Wakes on commits that appended to the replication log. */
  public PostgresLogNotifications(ShardDatabase database) {
    this(database, PostgresLogWriter.CHANNEL);
  }

  private PostgresLogNotifications(ShardDatabase database, String channel) {
    this.database = database;
    this.channel = channel;
  }

  /** Wakes when a host of the cell reports a new applied position. */
  public static PostgresLogNotifications hostPositions(ShardDatabase database) {
    return new PostgresLogNotifications(database, PostgresCellMembership.CHANNEL);
  }

  /**
   * Waits for a notification, in short slices so that interrupting the waiting thread (as {@link
   * dev.coffer.replication.apply.ReplicationTailer#close} does) ends the wait promptly: the driver
   * itself ignores interrupts. Returns true at once after (re)subscribing, because a commit between
   * the caller's last read and the LISTEN sent no notification to this connection.
   */
  @Override
  public synchronized boolean await(Duration timeout) {
    long millis = Math.max(1, timeout.toMillis());
    try {
      if (connection == null || connection.isClosed()) {
        listen();
        return true;
      }
      PGConnection listening = connection.unwrap(PGConnection.class);
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
      while (!Thread.currentThread().isInterrupted()) {
        long remaining = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (remaining <= 0) {
          return false;
        }
        // Never 0: the driver reads that as "wait forever".
        PGNotification[] notifications =
            listening.getNotifications((int) Math.max(1, Math.min(remaining, SLICE_MILLIS)));
        if (notifications != null && notifications.length > 0) {
          return true;
        }
      }
      return false;
    } catch (SQLException e) {
      LOG.warn(
          "Lost the notification connection to the shard store ({}); polling meanwhile.",
          e.getSQLState());
      closeQuietly();
      sleep(millis);
      return false;
    }
  }

  private void listen() throws SQLException {
    closeQuietly();
    connection = database.dataSource().getConnection();
    connection.setAutoCommit(true);
    try (Statement statement = connection.createStatement()) {
      statement.execute("LISTEN " + channel);
    }
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
