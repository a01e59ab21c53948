package dev.coffer.placement.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.coffer.core.model.LogPosition;
import dev.coffer.core.model.ShardId;
import dev.coffer.core.model.VaultName;
import dev.coffer.core.storage.VaultPlacementStore.Placement;
import dev.coffer.embeddedpostgres.PostgresInstance;
import dev.coffer.placement.log.InMemoryPlacementReplica;
import dev.coffer.placement.log.PositionedPlacementEvent;
import dev.coffer.replication.apply.ApplyListener;
import dev.coffer.replication.apply.ReplicationTailer;
import dev.coffer.replication.postgres.HorizonLogReader;
import dev.coffer.replication.postgres.ShardDatabase;
import dev.coffer.testkit.database.TestDatabases;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * The base store's log, tailed into a replica with the hosts' tailer, against a real PostgreSQL:
 * concurrent changes arrive whole and exactly once, placements older than the log are in it, and
 * the log's schema is the shard log's, so the shared reader's no-skip argument holds for it.
 */
class PlacementLogTailIT {
  private static final List<ShardId> SHARDS =
      List.of(ShardId.of("shard-a"), ShardId.of("shard-b"), ShardId.of("shard-c"));
  private static final List<VaultName> VAULTS =
      List.of("v0", "v1", "v2", "v3", "v4", "v5").stream().map(VaultName::of).toList();

  private static PostgresInstance server;

  @BeforeAll
  static void startServer() {
    server = TestDatabases.startServer();
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  private static PGSimpleDataSource freshDatabase(String prefix) {
    return TestDatabases.dataSource(
        server, server.createDatabase(TestDatabases.uniqueName(prefix)));
  }

  /** One change a writer makes; indexes into {@link #VAULTS} and {@link #SHARDS}. */
  record Change(int kind, int vault, int shard) {
    void applyTo(PostgresVaultPlacementStore store) {
      VaultName name = VAULTS.get(vault);
      // Only the first two shards are registered before the writers start; the third may be
      // registered by a writer, and no vault is reserved on it (the base store refuses that).
      ShardId target = SHARDS.get(shard % 2);
      switch (kind) {
        case 0 -> store.reserve(name, target);
        case 1 -> store.markActive(name);
        case 2 -> store.release(name, target);
        default -> store.registerShard(SHARDS.get(shard));
      }
    }
  }

  private static Gen<List<Change>> changes() {
    Gen<Change> change =
        Generate.range(0, 3)
            .zip(
                Generate.range(0, VAULTS.size() - 1),
                Generate.range(0, SHARDS.size() - 1),
                Change::new);
    return lists().of(change).ofSizeBetween(0, 30);
  }

  @Test
  void concurrentChangesReachTheReplicaWholeAndExactlyOnce() {
    qt().withExamples(12)
        .withShrinkCycles(20)
        .forAll(changes(), changes(), changes())
        .checkAssert(
            (first, second, third) -> {
              BaseDatabase base = BaseDatabase.migrate(freshDatabase("tail"));
              PostgresVaultPlacementStore store = new PostgresVaultPlacementStore(base);
              store.registerShard(SHARDS.get(0));
              InMemoryPlacementReplica replica = new InMemoryPlacementReplica();
              HorizonLogReader<PositionedPlacementEvent> reader = base.logReader();
              try (ReplicationTailer<PositionedPlacementEvent> tailer =
                  new ReplicationTailer<>(
                      "router",
                      reader,
                      replica,
                      base.logWakeups(),
                      7,
                      Duration.ofMillis(200),
                      ApplyListener.NONE)) {
                tailer.start();
                store.registerShard(SHARDS.get(1));
                runConcurrently(store, List.of(first, second, third));
                LogPosition head = reader.readablePosition();
                assertThat(tailer.awaitApplied(head, Duration.ofSeconds(30))).isTrue();
                assertThat(replica.appliedPosition()).isEqualTo(head);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
              }
              assertThat(replica.shards()).isEqualTo(store.shards());
              for (VaultName vault : VAULTS) {
                assertThat(replica.find(vault)).as(vault.value()).isEqualTo(store.find(vault));
              }
            });
  }

  private static void runConcurrently(
      PostgresVaultPlacementStore store, List<List<Change>> writers) {
    ExecutorService pool = Executors.newFixedThreadPool(writers.size());
    try {
      List<Future<?>> running = new ArrayList<>();
      for (List<Change> changes : writers) {
        running.add(pool.submit(() -> changes.forEach(change -> change.applyTo(store))));
      }
      for (Future<?> writer : running) {
        writer.get();
      }
    } catch (Exception e) {
      throw new AssertionError("a writer failed", e);
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * A reservation that draws its version, then is held up (here by a slow trigger) while a release
   * of the same name commits, must not end up in the log with a version below the release's
   * tombstone: the replica would keep the tombstone over the newer placement.
   */
  @Test
  void aReservationRacingAReleaseOfTheSameNameEndsTheSameInTheReplica() throws Exception {
    PGSimpleDataSource dataSource = freshDatabase("race");
    BaseDatabase base = BaseDatabase.migrate(dataSource);
    PostgresVaultPlacementStore store = new PostgresVaultPlacementStore(base);
    ShardId shard = ShardId.of("shard-a");
    VaultName vault = VaultName.of("payments");
    store.registerShard(shard);
    store.reserve(vault, shard);
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement()) {
      s.execute(
          "CREATE FUNCTION slow_insert() RETURNS trigger LANGUAGE plpgsql AS"
              + " $$ BEGIN PERFORM pg_sleep(0.5); RETURN NEW; END $$");
      s.execute(
          "CREATE TRIGGER slow_insert BEFORE INSERT ON vault_placements"
              + " FOR EACH ROW EXECUTE FUNCTION slow_insert()");
    }
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Future<Boolean> reserving = pool.submit(() -> store.reserve(vault, shard));
      Thread.sleep(150);
      store.release(vault, shard);
      reserving.get();
    } finally {
      pool.shutdownNow();
    }

    InMemoryPlacementReplica replica = new InMemoryPlacementReplica();
    replica.apply(base.logReader().read(LogPosition.ZERO, 100).events());
    assertThat(replica.find(vault)).isEqualTo(store.find(vault));
  }

  @Test
  void placementsMadeBeforeTheLogExistedAreInIt() throws Exception {
    PGSimpleDataSource dataSource = freshDatabase("seed");
    Flyway.configure()
        .dataSource(dataSource)
        .locations("classpath:db/base")
        .table("coffer_base_schema_history")
        .target("2")
        .load()
        .migrate();
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement()) {
      s.execute(
          "INSERT INTO shards VALUES ('shard-b', now()), ('shard-a', now() - interval '1 day')");
      s.execute(
          "INSERT INTO vault_placements VALUES ('payments', 'shard-a', 'ACTIVE', now()),"
              + " ('orders', 'shard-b', 'CREATING', now()), ('ledger', 'shard-b', 'ACTIVE', now())");
    }

    BaseDatabase base = BaseDatabase.migrate(dataSource);
    PostgresVaultPlacementStore store = new PostgresVaultPlacementStore(base);
    store.reserve(VaultName.of("audit"), ShardId.of("shard-a"));
    InMemoryPlacementReplica replica = new InMemoryPlacementReplica();
    HorizonLogReader<PositionedPlacementEvent> reader = base.logReader();
    List<PositionedPlacementEvent> all = reader.read(LogPosition.ZERO, 100).events();
    replica.apply(all);

    assertThat(all).hasSize(6);
    assertThat(replica.shards()).containsExactly(ShardId.of("shard-a"), ShardId.of("shard-b"));
    for (String vault : List.of("payments", "orders", "ledger", "audit")) {
      Placement expected = store.find(VaultName.of(vault)).orElseThrow();
      assertThat(replica.find(VaultName.of(vault))).contains(expected);
    }
  }

  @Test
  void theLogSchemaIsTheShardLogSchemaDefinitionForDefinition() throws SQLException {
    PGSimpleDataSource baseSource = freshDatabase("schema_base");
    PGSimpleDataSource shardSource = freshDatabase("schema_shard");
    BaseDatabase.migrate(baseSource);
    ShardDatabase.migrate(shardSource);
    String[] queries = {
      "SELECT p.proname, pg_get_functiondef(p.oid) FROM pg_proc p"
          + " JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'public'"
          + " AND p.proname IN ('log_writer_gate', 'log_writers_horizon',"
          + " 'replication_log_requires_gate') ORDER BY 1",
      "SELECT table_name, column_name, data_type, is_nullable, column_default, is_identity"
          + " FROM information_schema.columns WHERE table_schema = 'public'"
          + " AND table_name IN ('replication_log', 'log_truncation') ORDER BY 1, 2",
      "SELECT tgname, pg_get_triggerdef(oid) FROM pg_trigger"
          + " WHERE tgrelid = 'replication_log'::regclass AND NOT tgisinternal ORDER BY 1",
      "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'replication_log' ORDER BY 1"
    };
    for (String query : queries) {
      List<List<String>> inBase = rows(baseSource, query);
      assertThat(inBase).as(query).isNotEmpty();
      assertThat(inBase).as(query).isEqualTo(rows(shardSource, query));
    }
  }

  private static List<List<String>> rows(PGSimpleDataSource dataSource, String query)
      throws SQLException {
    List<List<String>> rows = new ArrayList<>();
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(query)) {
      int columns = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        List<String> row = new ArrayList<>();
        for (int i = 1; i <= columns; i++) {
          row.add(rs.getString(i));
        }
        rows.add(row);
      }
    }
    return rows;
  }

  @Test
  void anAppendOutsideTheWritersGateIsRefused() throws SQLException {
    PGSimpleDataSource dataSource = freshDatabase("gate");
    BaseDatabase.migrate(dataSource);
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement()) {
      assertThatThrownBy(
              () ->
                  s.execute(
                      "INSERT INTO replication_log (vault, entity, entity_version, payload)"
                          + " VALUES ('v', 'vault/v', 1, '\\x00')"))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("outside the log writers' gate");
    }
  }

  @Test
  void aChangeThatChangesNothingAppendsNothing() {
    BaseDatabase base = BaseDatabase.migrate(freshDatabase("noop"));
    PostgresVaultPlacementStore store = new PostgresVaultPlacementStore(base);
    ShardId shard = ShardId.of("shard-a");
    VaultName vault = VaultName.of("payments");
    store.registerShard(shard);
    store.reserve(vault, shard);
    store.markActive(vault);
    Map<String, Integer> before = counts(base);

    store.registerShard(shard);
    assertThat(store.reserve(vault, shard)).isFalse();
    store.markActive(vault);
    store.release(vault, shard);
    store.release(VaultName.of("unknown"), shard);

    assertThat(counts(base)).isEqualTo(before);
    assertThat(before).containsEntry("events", 3);
  }

  private static Map<String, Integer> counts(BaseDatabase base) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    counts.put("events", base.logReader().read(LogPosition.ZERO, 1_000).events().size());
    return counts;
  }
}
