package dev.coffer.testkit.database;

import dev.coffer.embeddedpostgres.PostgresInstance;
import dev.coffer.embeddedpostgres.PostgresServer;
import dev.coffer.embeddedpostgres.PostgresServers;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.TestInfo;
import org.postgresql.ds.PGSimpleDataSource;

/** Servers, databases and data sources for integration tests on real PostgreSQL. */
public final class TestDatabases {
  private static final AtomicInteger COUNTER = new AtomicInteger();

  private TestDatabases() {}

  /**
   * Starts the test class's server. On a server of our own, autovacuum is switched off: an
   * automatic ANALYZE holds a transaction id for a moment, which (correctly, since the horizon is
   * cluster-wide) holds back every reader on the server and would make exact assertions about the
   * horizon racy.
   */
  public static PostgresInstance startServer() {
    PostgresInstance server = PostgresServers.startForTest();
    if (server instanceof PostgresServer) {
      try (Connection c = server.connect("postgres");
          Statement statement = c.createStatement()) {
        statement.execute("ALTER SYSTEM SET autovacuum = off");
        statement.execute("SELECT pg_reload_conf()");
      } catch (SQLException e) {
        server.close();
        throw new IllegalStateException("could not configure the test server", e);
      }
    }
    return server;
  }

  /** A database name unique on this server: the test method's name and a counter. */
  public static String uniqueName(String hint) {
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
  public static String create(PostgresInstance server, TestInfo test) {
    String hint = test.getTestMethod().map(m -> m.getName()).orElse(test.getDisplayName());
    return server.createDatabase(uniqueName(hint));
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
}
