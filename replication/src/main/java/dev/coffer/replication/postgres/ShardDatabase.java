package dev.coffer.replication.postgres;

import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;

/**
 * One shard's PostgreSQL database: schema migrations and the Jdbi handle factory. Applications
 * build it from a {@link DataSource} and hand it to the stores in this package, so no other package
 * needs Jdbi or Flyway.
 */
public final class ShardDatabase {
  private static final String MIGRATIONS = "classpath:db/shard";
  private static final String HISTORY = "coffer_shard_schema_history";

  private final LogDatabase log;

  private ShardDatabase(LogDatabase log) {
    this.log = log;
  }

  /** Applies pending migrations (the control plane, which owns the schema, does this at start). */
  public static ShardDatabase migrate(DataSource dataSource) {
    return new ShardDatabase(LogDatabase.migrate("shard store", dataSource, HISTORY, MIGRATIONS));
  }

  /**
   * Checks that the schema is exactly the one this code expects, without changing it (data-plane
   * hosts never migrate: a host running older code must not race the control plane's migration).
   *
   * @throws org.flywaydb.core.api.exception.FlywayValidateException when it is not
   */
  public static ShardDatabase validated(DataSource dataSource) {
    return new ShardDatabase(LogDatabase.validated("shard store", dataSource, HISTORY, MIGRATIONS));
  }

  /** The shard's database seen as one holding a replication log. */
  public LogDatabase log() {
    return log;
  }

  Jdbi jdbi() {
    return log.jdbi();
  }

  DataSource dataSource() {
    return log.dataSource();
  }
}
