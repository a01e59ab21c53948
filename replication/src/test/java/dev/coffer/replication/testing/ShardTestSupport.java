package dev.coffer.replication.testing;

import dev.coffer.core.event.ReplicationEvent;
import dev.coffer.core.event.ReplicationEventCodec;
import dev.coffer.core.model.LogPosition;
import dev.coffer.embeddedpostgres.PostgresInstance;
import dev.coffer.embeddedpostgres.PostgresServer;
import dev.coffer.embeddedpostgres.PostgresServers;
import dev.coffer.replication.postgres.ShardDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.TestInfo;
import org.postgresql.ds.PGSimpleDataSource;

/** Databases, data sources and raw log access for the replication integration tests. */
public final class ShardTestSupport {
  private static final AtomicInteger COUNTER = new AtomicInteger();

  private ShardTestSupport() {}

  /**
   * Starts the test class's server. On a server of our own, autovacuum is switched off: an
   * automatic ANALYZE holds a transaction id for a moment, which (correctly, since the horizon is
   * cluster-wide) holds back every reader on the server and would make exact assertions about the
   * horizon racy.
   */
  public static PostgresInstance startServer() {
    PostgresInstance server = PostgresServers.startForTest();
    if (server instanceof PostgresServer) {
      try (Connection c = server.connect("postgres")) {
        execute(c, "ALTER SYSTEM SET autovacuum = off");
        execute(c, "SELECT pg_reload_conf()");
      } catch (SQLException e) {
        server.close();
        throw new IllegalStateException("could not configure the test server", e);
      }
    }
    return server;
  }

  /** A database name unique on this server: the test method's name and a counter. */
  public static String uniqueDatabaseName(String hint) {
    String cleaned = hint.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_");
    if (cleaned.isEmpty() || cleaned.charAt(0) < 'a' || cleaned.charAt(0) > 'z') {
      cleaned = "t_" + cleaned;
    }
    String suffix = "_" + COUNTER.incrementAndGet();
    int max = 50 - suffix.length();
    if (cleaned.length() > max) {
      cleaned = cleaned.substring(0, max);
    }
    return cleaned + suffix;
  }

  /** Creates a fresh database named after the running test and returns its actual name. */
  public static String createDatabase(PostgresInstance server, TestInfo test) {
    String hint = test.getTestMethod().map(m -> m.getName()).orElse(test.getDisplayName());
    return server.createDatabase(uniqueDatabaseName(hint));
  }

  public static PGSimpleDataSource dataSource(PostgresInstance server, String database) {
    PGSimpleDataSource dataSource = new PGSimpleDataSource();
    dataSource.setURL(server.jdbcUrl(database));
    dataSource.setUser(server.user());
    if (!server.password().isEmpty()) {
      dataSource.setPassword(server.password());
    }
    dataSource.setConnectTimeout(5);
    return dataSource;
  }

  /** A fresh database with the shard schema. */
  public static ShardDatabase migratedShard(PostgresInstance server, TestInfo test) {
    return ShardDatabase.migrate(dataSource(server, createDatabase(server, test)));
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
