package dev.coffer.embeddedpostgres;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * A PostgreSQL server that tests can create databases on: either one this JVM started ({@link
 * PostgresServer}) or a shared external one ({@link ExternalPostgres}). Obtain one for a test with
 * {@link PostgresServers#startForTest()}.
 */
public interface PostgresInstance extends AutoCloseable {

  String host();

  int port();

  String user();

  /** Password for {@link #user()}; empty when the server does not need one. */
  String password();

  /**
   * JDBC URL of {@code database}, without credentials (pass {@link #user()} and {@link #password()}
   * separately, or use {@link #connect}). For databases made by {@link #createDatabase} pass the
   * name it returned.
   */
  String jdbcUrl(String database);

  /**
   * Creates a database unless it exists already and returns its actual name, which is {@code name}
   * itself on a server of our own but carries a unique prefix on a shared external server.
   *
   * @param name lower-case name matching {@code [a-z][a-z0-9_]{0,62}}
   */
  String createDatabase(String name);

  /** Opens a connection to {@code database} (an actual name, as for {@link #jdbcUrl}). */
  default Connection connect(String database) throws SQLException {
    Properties properties = new Properties();
    properties.setProperty("user", user());
    if (!password().isEmpty()) {
      properties.setProperty("password", password());
    }
    return DriverManager.getConnection(jdbcUrl(database), properties);
  }

  /** Releases the server (stops it, or drops what was created on it); never throws. */
  @Override
  void close();
}
