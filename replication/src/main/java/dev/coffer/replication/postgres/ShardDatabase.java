package dev.coffer.replication.postgres;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;

/**
 * One shard's PostgreSQL database: schema migrations and the Jdbi handle factory. Applications
 * build it from a {@link DataSource} and hand it to the stores in this package, so no other package
 * needs Jdbi or Flyway.
 */
public final class ShardDatabase {
  private static final String MIGRATIONS = "classpath:db/shard";

  private final DataSource dataSource;
  private final Jdbi jdbi;

  private ShardDatabase(DataSource dataSource) {
    this.dataSource = dataSource;
    this.jdbi = Jdbi.create(dataSource);
  }

  /** Applies pending migrations (the control plane, which owns the schema, does this at start). */
  public static ShardDatabase migrate(DataSource dataSource) {
    flyway(dataSource).migrate();
    return new ShardDatabase(dataSource);
  }

  /**
   * Checks that the schema is exactly the one this code expects, without changing it (data-plane
   * hosts never migrate: a host running older code must not race the control plane's migration).
   *
   * @throws org.flywaydb.core.api.exception.FlywayValidateException when it is not
   */
  public static ShardDatabase validated(DataSource dataSource) {
    flyway(dataSource).validate();
    return new ShardDatabase(dataSource);
  }

  private static Flyway flyway(DataSource dataSource) {
    return Flyway.configure()
        .dataSource(dataSource)
        .locations(MIGRATIONS)
        .table("coffer_shard_schema_history")
        .failOnMissingLocations(true)
        .load();
  }

  Jdbi jdbi() {
    return jdbi;
  }

  DataSource dataSource() {
    return dataSource;
  }
}
