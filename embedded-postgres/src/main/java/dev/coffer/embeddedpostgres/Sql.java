package dev.coffer.embeddedpostgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** Database DDL shared by the local and the external server handles. */
final class Sql {

  private static final String DUPLICATE_DATABASE = "42P04";
  private static final String OBJECT_IN_USE = "55006";
  private static final String SYNTAX_ERROR = "42601";

  private Sql() {}

  /** Creates {@code name} (already validated, so safe to splice in) unless it exists. */
  static void createDatabaseIfAbsent(PostgresInstance server, String maintenanceDb, String name) {
    DatabaseNames.requireValid(name);
    try (Connection connection = server.connect(maintenanceDb)) {
      for (int attempt = 1; ; attempt++) {
        if (exists(connection, name)) {
          return;
        }
        try (Statement statement = connection.createStatement()) {
          statement.execute("CREATE DATABASE \"" + name + "\"");
          return;
        } catch (SQLException e) {
          if (DUPLICATE_DATABASE.equals(e.getSQLState())) {
            return; // A concurrent caller won; the database exists, which is all we promised.
          }
          // template1 is briefly "in use" while someone else is connected to it.
          if (!OBJECT_IN_USE.equals(e.getSQLState()) || attempt >= 20) {
            throw e;
          }
          Thread.sleep(100L * attempt);
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException(
          "could not create database "
              + name
              + " on "
              + server.host()
              + ":"
              + server.port()
              + ": "
              + e.getMessage(),
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating database " + name, e);
    }
  }

  static void dropDatabaseIfExists(Connection connection, String name) throws SQLException {
    DatabaseNames.requireValid(name);
    try (Statement statement = connection.createStatement()) {
      // FORCE disconnects sessions a test forgot to close, which would otherwise block the drop.
      statement.execute("DROP DATABASE IF EXISTS \"" + name + "\" WITH (FORCE)");
    } catch (SQLException e) {
      if (!SYNTAX_ERROR.equals(e.getSQLState())) {
        throw e;
      }
      try (Statement statement = connection.createStatement()) {
        statement.execute("DROP DATABASE IF EXISTS \"" + name + "\""); // server older than 13
      }
    }
  }

  private static boolean exists(Connection connection, String name) throws SQLException {
    try (PreparedStatement query =
        connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
      query.setString(1, name);
      try (ResultSet rows = query.executeQuery()) {
        return rows.next();
      }
    }
  }
}
