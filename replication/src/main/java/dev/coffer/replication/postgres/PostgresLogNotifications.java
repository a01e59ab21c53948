package dev.coffer.replication.postgres;

import dev.coffer.replication.apply.LogWakeups;
import java.lang.reflect.Field;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.postgresql.core.BaseConnection;
import org.postgresql.core.PGStream;
import org.postgresql.core.QueryExecutorBase;
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

  private final LogDatabase database;
  private final String channel;
  private Connection connection;
  private boolean peeksWithoutBlocking;

  /** Wakes on commits that appended to the replication log. */
  public PostgresLogNotifications(ShardDatabase database) {
    this(database.log());
  }

  /** Wakes on commits that appended to the log of {@code database}. */
  public PostgresLogNotifications(LogDatabase database) {
    this(database, PostgresLogWriter.CHANNEL);
  }

  private PostgresLogNotifications(LogDatabase database, String channel) {
    this.database = database;
    this.channel = channel;
  }

  /** Wakes when a host of the cell reports a new applied position. */
  public static PostgresLogNotifications hostPositions(ShardDatabase database) {
    return new PostgresLogNotifications(database.log(), PostgresCellMembership.CHANNEL);
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
    peeksWithoutBlocking = stopBlockingPeeks(connection);
  }

  /**
   * The driver (pgjdbc 42.7) ends every wait that received a notification by checking for more
   * input with a read that blocks for 1 ms, and when nothing more comes it throws and catches a
   * SocketTimeoutException and returns without arming the check's own once-a-second throttle
   * ({@code PGStream.hasMessagePending}). So every wake-up slept one more millisecond, cost the
   * scheduler a second wake-up and the JVM a stack trace: at 100 writes/s per shard that was about
   * a fifth of each tailing host's notification handling (measured with perf), and a millisecond
   * added to every event's lag. Arming the throttle for good leaves the check to {@code
   * available()}, which is exact on a plain socket; over TLS a notification left in the TLS buffer
   * is returned by the next wait, whose read finds it at once. Reflection into the pinned driver:
   * if its internals change, the wait works as before, with the millisecond, and says so.
   *
   * @return whether the blocking check is off
   */
  private static boolean stopBlockingPeeks(Connection connection) {
    try {
      Object executor = connection.unwrap(BaseConnection.class).getQueryExecutor();
      Field stream = QueryExecutorBase.class.getDeclaredField("pgStream");
      stream.setAccessible(true);
      Field nextCheck = PGStream.class.getDeclaredField("nextStreamAvailableCheckTime");
      nextCheck.setAccessible(true);
      nextCheck.setLong(stream.get(executor), Long.MAX_VALUE);
      return true;
    } catch (SQLException | ReflectiveOperationException | RuntimeException e) {
      LOG.info(
          "Kept the database driver's blocking check for more notifications ({}): each wake-up"
              + " waits about a millisecond longer.",
          e.getClass().getSimpleName());
      return false;
    }
  }

  /** Whether the current subscription's connection checks for more input without blocking. */
  synchronized boolean peeksWithoutBlocking() {
    return peeksWithoutBlocking;
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
      peeksWithoutBlocking = false;
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
