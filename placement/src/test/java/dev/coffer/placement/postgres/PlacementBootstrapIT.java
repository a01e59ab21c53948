package dev.coffer.placement.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.core.model.ControlPlaneId;
import dev.coffer.core.model.Endpoint;
import dev.coffer.core.model.HostId;
import dev.coffer.core.model.LogPosition;
import dev.coffer.core.model.ShardId;
import dev.coffer.core.model.VaultName;
import dev.coffer.core.storage.CellMembership.HostState;
import dev.coffer.placement.CellHost;
import dev.coffer.placement.ControlPlane;
import dev.coffer.placement.log.InMemoryPlacementReplica;
import dev.coffer.placement.log.PositionedPlacementEvent;
import dev.coffer.replication.apply.ApplyListener;
import dev.coffer.replication.apply.LogWakeups;
import dev.coffer.replication.apply.ReplicationTailer;
import dev.coffer.replication.postgres.PostgresLogTruncation;
import dev.coffer.testkit.database.DatabaseExtension;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A replica of the base store that starts after the log was truncated, or falls behind its
 * truncation while running, bootstraps from a snapshot with the hosts' tailer and ends with exactly
 * the store's routing state, removals included.
 */
class PlacementBootstrapIT {
  @RegisterExtension
  static final DatabaseExtension<BaseDatabase> BASE =
      new DatabaseExtension<>(BaseDatabase::migrate);

  private static final ShardId ONE = ShardId.of("shard-1");
  private static final ShardId TWO = ShardId.of("shard-2");
  private static final CellHost A =
      new CellHost(HostId.of("host-a"), Endpoint.parse("http://127.0.0.1:8410"), HostState.MEMBER);
  private static final CellHost B =
      new CellHost(HostId.of("host-b"), Endpoint.parse("http://127.0.0.1:8412"), HostState.MEMBER);
  private static final ControlPlane CP =
      new ControlPlane(
          ControlPlaneId.of("control-plane-1"), Endpoint.parse("http://127.0.0.1:8400"));

  private BaseDatabase base;
  private PostgresVaultPlacementStore placements;
  private PostgresRoutingDirectory directory;
  private PostgresLogTruncation truncation;

  @BeforeEach
  void stores() {
    base = BASE.database();
    placements = new PostgresVaultPlacementStore(base);
    directory = new PostgresRoutingDirectory(base);
    truncation = base.truncation();
  }

  private void someHistory() {
    placements.registerShard(ONE);
    placements.registerShard(TWO);
    for (String vault : List.of("payments", "orders", "ledger")) {
      placements.reserve(VaultName.of(vault), vault.equals("orders") ? TWO : ONE);
      placements.markActive(VaultName.of(vault));
    }
    placements.reserve(VaultName.of("failed"), TWO);
    directory.syncCell(ONE, List.of(A, B));
    directory.syncCell(TWO, List.of(B));
    directory.registerControlPlane(CP);
  }

  private ReplicationTailer<PositionedPlacementEvent> tailer(InMemoryPlacementReplica replica) {
    return new ReplicationTailer<>(
        "router",
        base.logReader(),
        replica,
        LogWakeups.none(),
        3,
        Duration.ofMillis(20),
        ApplyListener.NONE,
        base.bootstrap(replica));
  }

  private void assertSameAsStore(InMemoryPlacementReplica replica) {
    assertThat(replica.shards()).isEqualTo(placements.shards());
    for (String vault : List.of("payments", "orders", "ledger", "failed", "gone")) {
      assertThat(replica.find(VaultName.of(vault)))
          .as(vault)
          .isEqualTo(placements.find(VaultName.of(vault)));
    }
    assertThat(replica.cell(ONE)).isEqualTo(directory.cell(ONE));
    assertThat(replica.cell(TWO)).isEqualTo(directory.cell(TWO));
    assertThat(replica.controlPlanes()).isEqualTo(directory.controlPlanes());
  }

  @Test
  void aReplicaStartingAfterTheLogWasTruncatedBootstrapsFromASnapshot() throws Exception {
    someHistory();
    assertThat(truncation.truncate(Duration.ZERO).deletedEvents()).isPositive();

    InMemoryPlacementReplica replica = new InMemoryPlacementReplica();
    try (ReplicationTailer<PositionedPlacementEvent> tailer = tailer(replica)) {
      tailer.start();
      placements.reserve(VaultName.of("gone"), ONE);
      LogPosition head = base.logReader().readablePosition();
      assertThat(tailer.awaitApplied(head, Duration.ofSeconds(30))).isTrue();
      assertThat(tailer.bootstraps()).isEqualTo(1);
    }
    assertSameAsStore(replica);
    assertThat(replica.find(VaultName.of("gone"))).isPresent();
  }

  @Test
  void aReplicaThatFellBehindTheTruncationForgetsWhatWasRemovedMeanwhile() throws Exception {
    someHistory();
    InMemoryPlacementReplica replica = new InMemoryPlacementReplica();
    replica.apply(base.logReader().read(LogPosition.ZERO, 1_000).events());
    assertThat(replica.cell(ONE)).containsExactly(A, B);

    // While the replica is away: a host leaves, a failed creation is released, the log truncated.
    directory.syncCell(ONE, List.of(A));
    placements.release(VaultName.of("failed"), TWO);
    directory.removeControlPlane(CP.id());
    assertThat(truncation.truncate(Duration.ZERO).deletedEvents()).isPositive();
    // Something to tail after the truncation point (an empty log has no position to wait for).
    placements.reserve(VaultName.of("gone"), ONE);

    try (ReplicationTailer<PositionedPlacementEvent> tailer = tailer(replica)) {
      tailer.start();
      LogPosition head = base.logReader().readablePosition();
      assertThat(tailer.awaitApplied(head, Duration.ofSeconds(30))).isTrue();
      assertThat(tailer.bootstraps()).isEqualTo(1);
    }
    assertSameAsStore(replica);
    assertThat(replica.cell(ONE)).containsExactly(A);
    assertThat(replica.find(VaultName.of("failed"))).isEmpty();
    assertThat(replica.controlPlanes()).isEmpty();
  }

  @Test
  void truncationByAgeKeepsWhatIsYoungerThanTheWindow() {
    someHistory();
    long events = base.logReader().read(LogPosition.ZERO, 1_000).events().size();
    assertThat(truncation.truncate(Duration.ofHours(1)).deletedEvents()).isZero();
    assertThat(base.logReader().read(LogPosition.ZERO, 1_000).events()).hasSize((int) events);
  }
}
