package dev.coffer.service.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.codahale.metrics.MetricRegistry;
import dev.coffer.embeddedpostgres.PostgresInstance;
import dev.coffer.embeddedpostgres.PostgresServers;
import io.dropwizard.db.DataSourceFactory;
import io.dropwizard.db.ManagedDataSource;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.PGStatement;

/** The servers' connection pools, against a real PostgreSQL. */
class ConnectionPoolsIT {
  private static PostgresInstance server;
  private static String database;

  @BeforeAll
  static void startServer() {
    server = PostgresServers.startForTest();
    database = server.createDatabase("connection_pools");
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  private static DataSourceFactory configuration() {
    DataSourceFactory configuration = new DataSourceFactory();
    configuration.setDriverClass("org.postgresql.Driver");
    configuration.setUrl(server.jdbcUrl(database));
    configuration.setUser(server.user());
    configuration.setPassword(server.password());
    return configuration;
  }

  @Test
  void statementsAndResultsAreTheDriversOwnButAReturnedConnectionStillCannotBeUsed()
      throws Exception {
    ManagedDataSource pool = ConnectionPools.build(configuration(), new MetricRegistry(), "test");
    pool.start();
    try {
      Connection connection = pool.getConnection();
      try (PreparedStatement statement = connection.prepareStatement("SELECT 41 + ?")) {
        assertThat(Proxy.isProxyClass(statement.getClass())).isFalse();
        assertThat(statement).isInstanceOf(PGStatement.class);
        statement.setInt(1, 1);
        try (ResultSet rs = statement.executeQuery()) {
          assertThat(Proxy.isProxyClass(rs.getClass())).isFalse();
          rs.next();
          assertThat(rs.getInt(1)).isEqualTo(42);
        }
      }
      connection.close();
      assertThatThrownBy(() -> connection.prepareStatement("SELECT 1"))
          .isInstanceOf(SQLException.class);
    } finally {
      pool.stop();
    }
  }

  /** What the pool does without {@link ConnectionPools}: every statement behind a proxy. */
  @Test
  void dropwizardsDefaultPoolWrapsEveryStatement() throws Exception {
    ManagedDataSource pool = configuration().build(new MetricRegistry(), "default");
    pool.start();
    try (Connection connection = pool.getConnection();
        PreparedStatement statement = connection.prepareStatement("SELECT 1")) {
      assertThat(Proxy.isProxyClass(statement.getClass())).isTrue();
    } finally {
      pool.stop();
    }
  }
}
