package dev.coffer.testkit.database;

import dev.coffer.embeddedpostgres.PostgresInstance;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.function.Function;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A migrated database for an integration test: one PostgreSQL server per test class (see {@link
 * TestDatabases#startServer()}), and before each test a fresh database, named after the test, given
 * to the schema's migration. Tests share the server but never a database, so each starts from an
 * empty schema. Register it as a static field with {@code @RegisterExtension}; it runs before the
 * class's own {@code @BeforeEach} methods, which can build stores on {@link #database()}.
 *
 * <p>The schema is the caller's: a module binds its migration, as replication's {@code
 * ShardStoreExtension} binds the shard schema, so the kit needs no module above core.
 *
 * @param <T> what the migration returns: the migrated database as its stores take it
 */
public class DatabaseExtension<T>
    implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {
  private final Function<? super PGSimpleDataSource, ? extends T> migration;
  private PostgresInstance server;
  private String databaseName;
  private PGSimpleDataSource dataSource;
  private T database;

  /** {@code migration} brings a test's empty database to the newest schema. */
  public DatabaseExtension(Function<? super PGSimpleDataSource, ? extends T> migration) {
    this.migration = migration;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    server = TestDatabases.startServer();
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    String hint = context.getTestMethod().map(m -> m.getName()).orElse(context.getDisplayName());
    databaseName = server.createDatabase(TestDatabases.uniqueName(hint));
    dataSource = TestDatabases.dataSource(server, databaseName);
    database = migration.apply(dataSource);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (server != null) {
      server.close();
      server = null;
    }
  }

  /** The test class's server, for databases of a test's own and connections outside the schema. */
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

  /** The running test's migrated database. */
  public T database() {
    return database;
  }

  /** A new connection to the running test's database, outside the migrated data source. */
  public Connection connect() throws SQLException {
    return server.connect(databaseName);
  }
}
