package dev.coffer.placement.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.core.model.ControlPlaneId;
import dev.coffer.core.model.Endpoint;
import dev.coffer.core.model.HostId;
import dev.coffer.core.model.LogPosition;
import dev.coffer.core.storage.CellMembership.HostState;
import dev.coffer.embeddedpostgres.PostgresInstance;
import dev.coffer.placement.CellHost;
import dev.coffer.placement.ControlPlane;
import dev.coffer.placement.RoutingDirectory;
import dev.coffer.placement.RoutingDirectoryContract;
import dev.coffer.placement.log.InMemoryPlacementReplica;
import dev.coffer.placement.log.PositionedPlacementEvent;
import dev.coffer.testkit.database.TestDatabases;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The routing directory in a real base store, and what its log tells a replica. */
class PostgresRoutingDirectoryIT extends RoutingDirectoryContract {
  private static PostgresInstance server;

  private BaseDatabase base;

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

  @Override
  protected RoutingDirectory newDirectory() {
    base =
        BaseDatabase.migrate(
            TestDatabases.dataSource(
                server, server.createDatabase(TestDatabases.uniqueName("directory"))));
    PostgresVaultPlacementStore placements = new PostgresVaultPlacementStore(base);
    placements.registerShard(ONE);
    placements.registerShard(TWO);
    return new PostgresRoutingDirectory(base);
  }

  private List<PositionedPlacementEvent> log() {
    return base.logReader().read(LogPosition.ZERO, 10_000).events();
  }

  @Test
  void aSyncThatChangesNothingAppendsNothing() {
    RoutingDirectory directory = newDirectory();
    directory.syncCell(ONE, List.of(A, B));
    directory.registerControlPlane(
        new ControlPlane(ControlPlaneId.of("cp-1"), Endpoint.parse("http://127.0.0.1:8400")));
    int before = log().size();

    directory.syncCell(ONE, List.of(B, A));
    directory.registerControlPlane(
        new ControlPlane(ControlPlaneId.of("cp-1"), Endpoint.parse("http://127.0.0.1:8400")));

    assertThat(log()).hasSize(before);
  }

  /**
   * Two control planes syncing one cell from different readings at once, many times: the replica
   * fed by the log ends with exactly what the directory holds.
   */
  @Test
  void concurrentSyncsOfOneCellEndTheSameInTheReplica() throws Exception {
    RoutingDirectory directory = newDirectory();
    List<List<CellHost>> readings = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      List<CellHost> reading = new ArrayList<>();
      for (int h = 0; h < 4; h++) {
        if (((i + h) % 3) != 0) {
          reading.add(
              new CellHost(
                  HostId.of("host-" + h),
                  Endpoint.parse("http://127.0.0.1:" + (9000 + i)),
                  (i + h) % 2 == 0 ? HostState.MEMBER : HostState.JOINING));
        }
      }
      readings.add(reading);
    }
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<?>> syncing = new ArrayList<>();
      for (int writer = 0; writer < 2; writer++) {
        int offset = writer;
        syncing.add(
            pool.submit(
                () -> {
                  for (int round = 0; round < 20; round++) {
                    directory.syncCell(ONE, readings.get((round * 3 + offset) % readings.size()));
                  }
                }));
      }
      for (Future<?> sync : syncing) {
        sync.get();
      }
    } finally {
      pool.shutdownNow();
    }

    InMemoryPlacementReplica replica = new InMemoryPlacementReplica();
    replica.apply(log());
    assertThat(replica.cell(ONE)).isEqualTo(directory.cell(ONE));
    assertThat(replica.cell(TWO)).isEmpty();
  }
}
