package dev.coffer.placement.postgres;

import dev.coffer.placement.log.PlacementEventCodec;
import dev.coffer.placement.log.PlacementReplica;
import dev.coffer.placement.log.PositionedPlacementEvent;
import dev.coffer.replication.apply.LogWakeups;
import dev.coffer.replication.postgres.HorizonLogReader;
import dev.coffer.replication.postgres.LogDatabase;
import dev.coffer.replication.postgres.PostgresLogNotifications;
import dev.coffer.replication.postgres.PostgresLogTruncation;
import javax.sql.DataSource;

/**
 * The base store's PostgreSQL database: its migrations, and its log as a process that tails it (a
 * router) reads it. Applications build it from a {@link DataSource}; only this package sees Jdbi.
 */
public final class BaseDatabase {
  private static final String HISTORY = "coffer_base_schema_history";
  private static final String[] MIGRATIONS = {
    "classpath:db/base", "classpath:dev/coffer/placement/postgres/migration"
  };

  private final LogDatabase database;

  private BaseDatabase(LogDatabase database) {
    this.database = database;
  }

  /** Applies pending migrations (the control plane, which owns the schema, does this at start). */
  public static BaseDatabase migrate(DataSource dataSource) {
    return new BaseDatabase(LogDatabase.migrate("base store", dataSource, HISTORY, MIGRATIONS));
  }

  /**
   * Checks that the schema is exactly the one this code expects without changing it, for a process
   * that only tails the log and must not race the control plane's migration.
   */
  public static BaseDatabase validated(DataSource dataSource) {
    return new BaseDatabase(LogDatabase.validated("base store", dataSource, HISTORY, MIGRATIONS));
  }

  /** Reads the log of placement changes, never past one that could still appear. */
  public HorizonLogReader<PositionedPlacementEvent> logReader() {
    return new HorizonLogReader<>(
        database,
        (position, payload, appendedAt) ->
            new PositionedPlacementEvent(
                position, PlacementEventCodec.decode(payload), appendedAt));
  }

  /**
   * How a tailer of the base log brings {@code replica} to a snapshot of the base store when the
   * log was truncated past its position (as a fresh replica finds once the log has been).
   */
  public Runnable bootstrap(PlacementReplica replica) {
    PostgresPlacementSnapshot snapshots = new PostgresPlacementSnapshot(database.jdbi());
    return () -> replica.reset(snapshots.read());
  }

  /**
   * Truncation of the base log by age alone: routers register nowhere, so one further behind than
   * the window bootstraps from a snapshot.
   */
  public PostgresLogTruncation truncation() {
    return PostgresLogTruncation.byAgeOnly(database);
  }

  /** Wakes a tailer when a placement change commits. */
  public LogWakeups logWakeups() {
    return new PostgresLogNotifications(database);
  }

  LogDatabase database() {
    return database;
  }
}
