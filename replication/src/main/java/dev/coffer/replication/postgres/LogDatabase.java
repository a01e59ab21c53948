package dev.coffer.replication.postgres;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;

/**
 * A PostgreSQL database that holds a replication log: a shard's ({@link ShardDatabase}) or the base
 * store's. Its schema carries the same log table, truncation point and log writers' gate whatever
 * else it holds, so the readers, writers and notifications of this package serve both.
 */
public final class LogDatabase {
  private final String storeName;
  private final DataSource dataSource;
  private final Jdbi jdbi;

  private LogDatabase(String storeName, DataSource dataSource) {
    this.storeName = storeName;
    this.dataSource = dataSource;
    this.jdbi = Jdbi.create(dataSource);
  }

  /**
   * Applies pending migrations from {@code locations}, recording them in {@code historyTable}, then
   * opens the database.
   *
   * @param storeName what errors call the store ("shard store", "base store")
   */
  public static LogDatabase migrate(
      String storeName, DataSource dataSource, String historyTable, String... locations) {
    flyway(dataSource, historyTable, locations).migrate();
    return new LogDatabase(storeName, dataSource);
  }

  /**
   * Checks that the schema is exactly the one this code expects, without changing it: a process
   * that only reads must not race the owner's migration.
   *
   * @throws org.flywaydb.core.api.exception.FlywayValidateException when it is not
   */
  public static LogDatabase validated(
      String storeName, DataSource dataSource, String historyTable, String... locations) {
    flyway(dataSource, historyTable, locations).validate();
    return new LogDatabase(storeName, dataSource);
  }

  private static Flyway flyway(DataSource dataSource, String historyTable, String... locations) {
    return Flyway.configure()
        .dataSource(dataSource)
        .locations(locations)
        .table(historyTable)
        .failOnMissingLocations(true)
        .load();
  }

  /** For the storage classes of the database's owner, which keep Jdbi inside their package. */
  public Jdbi jdbi() {
    return jdbi;
  }

  String storeName() {
    return storeName;
  }

  DataSource dataSource() {
    return dataSource;
  }
}
