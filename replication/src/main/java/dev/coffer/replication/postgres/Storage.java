package dev.coffer.replication.postgres;

import dev.coffer.core.error.CofferException;
import dev.coffer.core.error.ErrorCode;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.function.Supplier;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.JdbiException;

/** Turns database failures into domain errors that say what happened without leaking SQL. */
final class Storage {
  private Storage() {}

  /**
   * Work on a pooled handle in autocommit mode — each statement commits as it ends — with a failure
   * as the domain error.
   */
  static <T> T withHandle(
      ShardDatabase database, String action, HandleCallback<T, RuntimeException> work) {
    return withHandle(database.log(), action, work);
  }

  static <T> T withHandle(
      LogDatabase database, String action, HandleCallback<T, RuntimeException> work) {
    try {
      return database.jdbi().withHandle(work);
    } catch (CofferException e) {
      throw e;
    } catch (JdbiException e) {
      throw translate(database.storeName(), action, e);
    }
  }

  /**
   * Work in a transaction that may append to the replication log: it enters the log writers' gate
   * first, before anything gives it a transaction id ({@link PostgresLogWriter#enterGate}). Runs at
   * PostgreSQL's default isolation, READ COMMITTED, which the writes are built for (row locks, not
   * snapshots, order writers of one secret); not set per transaction because the driver spends
   * three extra round trips on every explicit level.
   */
  static <T> T inLogTransaction(
      ShardDatabase database, String action, HandleCallback<T, RuntimeException> work) {
    return call(
        action,
        () ->
            database
                .jdbi()
                .inTransaction(
                    h -> {
                      PostgresLogWriter.enterGate(h);
                      return work.withHandle(h);
                    }));
  }

  static <T> T call(String action, Supplier<T> work) {
    try {
      return work.get();
    } catch (CofferException e) {
      throw e;
    } catch (JdbiException e) {
      throw translate(action, e);
    }
  }

  /** Work on a plain JDBC connection; see {@link #jdbc}. */
  @FunctionalInterface
  interface JdbcWork<T> {
    T run(Connection connection) throws SQLException;
  }

  /**
   * Runs {@code work} on a pooled connection in autocommit mode, without Jdbi: for the statements
   * every replicated write pays for, several times over (log reads, position reports), where
   * opening a Jdbi handle and binding named arguments cost a fifth of a tailing host's CPU.
   * Failures become the same domain errors as {@link #call}'s.
   */
  static <T> T jdbc(ShardDatabase database, String action, JdbcWork<T> work) {
    return jdbc(database.log(), action, work);
  }

  static <T> T jdbc(LogDatabase database, String action, JdbcWork<T> work) {
    try (Connection connection = database.dataSource().getConnection()) {
      return work.run(connection);
    } catch (SQLException e) {
      throw translate(database.storeName(), action, e);
    }
  }

  /**
   * Runs {@code work} on the connection of {@code transaction}, a Jdbi handle inside a transaction:
   * plain JDBC for a statement every write pays for. A failure becomes the domain error, and the
   * transaction, whose callback it leaves, rolls back.
   */
  static <T> T jdbc(Handle transaction, String action, JdbcWork<T> work) {
    try {
      return work.run(transaction.getConnection());
    } catch (SQLException e) {
      throw translate(action, e);
    }
  }

  /** A JDBC or Jdbi failure as the domain error; the cause is kept for the server log only. */
  static CofferException translate(String action, Exception e) {
    return translate("shard store", action, e);
  }

  static CofferException translate(String store, String action, Exception e) {
    if (isConnectionFailure(e)) {
      return new CofferException(
          ErrorCode.STORE_UNAVAILABLE,
          "The " + store + " is unavailable; " + action + " did not happen. Retry later.",
          e);
    }
    return new CofferException(
        ErrorCode.INTERNAL_ERROR, "The " + store + " failed; " + action + " did not happen.", e);
  }

  private static boolean isConnectionFailure(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql) {
        String state = sql.getSQLState();
        // 08: connection exception; 57P0x: server shutting down or unavailable; 53: out of
        // resources.
        if (state != null
            && (state.startsWith("08") || state.startsWith("57P") || state.startsWith("53"))) {
          return true;
        }
      }
      if (t instanceof java.net.ConnectException) {
        return true;
      }
    }
    return e instanceof org.jdbi.v3.core.ConnectionException;
  }
}
