package dev.coffer.replication.testing;

import dev.coffer.core.event.ReplicationEvent;
import dev.coffer.core.event.ReplicationEventCodec;
import dev.coffer.core.model.LogPosition;
import dev.coffer.embeddedpostgres.PostgresInstance;
import dev.coffer.replication.postgres.ShardDatabase;
import dev.coffer.testkit.database.TestDatabases;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.TestInfo;

/**
 * Shard databases and raw log access for the replication integration tests; servers, databases and
 * data sources in general come from the kit's {@link TestDatabases}.
 */
public final class ShardTestSupport {
  private ShardTestSupport() {}

  /** A fresh database with the shard schema. */
  public static ShardDatabase migratedShard(PostgresInstance server, TestInfo test) {
    return ShardDatabase.migrate(
        TestDatabases.dataSource(server, TestDatabases.create(server, test)));
  }

  /** A loopback port that nothing listens on (bound, then released). */
  public static int closedPort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Appends an event with plain SQL in the connection's current transaction, entering the log
   * writers' gate first if the transaction has not (so before its first write).
   */
  public static LogPosition appendRaw(Connection connection, ReplicationEvent event)
      throws SQLException {
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO replication_log (vault, entity, entity_version, payload)"
                + " SELECT ?, ?, ?, ? WHERE log_writer_gate() RETURNING tx_id::text, seq")) {
      insert.setString(1, event.vault().value());
      insert.setString(2, event.entity());
      insert.setLong(3, event.entityVersion());
      insert.setBytes(4, ReplicationEventCodec.encode(event));
      try (ResultSet rs = insert.executeQuery()) {
        rs.next();
        return new LogPosition(Long.parseLong(rs.getString(1)), rs.getLong(2));
      }
    }
  }

  /** The id of the connection's current transaction (assigning one if it has none yet). */
  public static long currentTxId(Connection connection) throws SQLException {
    return queryLong(connection, "SELECT pg_current_xact_id()::text");
  }

  /**
   * The id the next transaction to take one will get: unchanged across some work means the work
   * took none, so held no tailer back.
   */
  public static long nextTransactionId(Connection connection) throws SQLException {
    return queryLong(connection, "SELECT pg_snapshot_xmax(pg_current_snapshot())::text::bigint");
  }

  /** Advisory locks held in the connection's database by any session. */
  public static long advisoryLocksHeld(Connection connection) throws SQLException {
    return queryLong(
        connection,
        "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND database ="
            + " (SELECT oid FROM pg_database WHERE datname = current_database())");
  }

  public static long logRowCount(Connection connection) throws SQLException {
    return queryLong(connection, "SELECT count(*) FROM replication_log");
  }

  public static long queryLong(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery(sql)) {
      if (!rs.next()) {
        throw new IllegalStateException("no row");
      }
      return Long.parseLong(rs.getString(1));
    }
  }

  public static void execute(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }
}
