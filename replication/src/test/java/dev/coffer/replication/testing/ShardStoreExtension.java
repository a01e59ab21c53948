package dev.coffer.replication.testing;

import dev.coffer.embeddedpostgres.PostgresInstance;
import dev.coffer.replication.postgres.ShardDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A shard store for an integration test: one PostgreSQL server per test class (see {@link
 * ShardTestSupport#startServer()}), and before each test a fresh database, named after the test,
 * migrated to the newest shard schema. Tests share the server but never a database, so each starts
 * from an empty shard. Register it as a static field with {@code @RegisterExtension}; it runs
 * before the class's own {@code @BeforeEach} methods, which can build stores on {@link
 * #database()}.
 *
 * <p>It lives in replication's tests rather than in embedded-postgres because it needs the shard
 * schema, and embedded-postgres is below replication.
 */
public final class ShardStoreExtension
    implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {
  private PostgresInstance server;
  private String databaseName;
  private PGSimpleDataSource dataSource;
  private ShardDatabase database;

  @Override
  public void beforeAll(ExtensionContext context) {
    server = ShardTestSupport.startServer();
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    String hint = context.getTestMethod().map(m -> m.getName()).orElse(context.getDisplayName());
    databaseName = server.createDatabase(ShardTestSupport.uniqueDatabaseName(hint));
    dataSource = ShardTestSupport.dataSource(server, databaseName);
    database = ShardDatabase.migrate(dataSource);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (server != null) {
      server.close();
      server = null;
    }
  }

  /** The test class's server, for databases of a test's own and connections outside the shard. */
  public PostgresInstance server() {
    return server;
  }

  /** The running test's database. */
  public String databaseName() {
    return databaseName;
  }

  /**
   * The running test's data source; a test may change it (point it at another port, say) as it is
   * the test's alone.
   */
  public PGSimpleDataSource dataSource() {
    return dataSource;
  }

  /** The running test's migrated shard. */
  public ShardDatabase database() {
    return database;
  }

  /** A new connection to the running test's database, outside the shard's data source. */
  public Connection connect() throws SQLException {
    return server.connect(databaseName);
  }
}
