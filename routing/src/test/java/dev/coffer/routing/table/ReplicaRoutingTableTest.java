package dev.coffer.routing.table;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.core.model.ControlPlaneId;
import dev.coffer.core.model.Endpoint;
import dev.coffer.core.model.HostId;
import dev.coffer.core.model.LogPosition;
import dev.coffer.core.model.ShardId;
import dev.coffer.core.model.VaultName;
import dev.coffer.core.storage.CellMembership.HostState;
import dev.coffer.core.storage.VaultPlacementStore.Placement;
import dev.coffer.placement.CellHost;
import dev.coffer.placement.ControlPlane;
import dev.coffer.placement.log.InMemoryPlacementReplica;
import dev.coffer.placement.log.PlacementEvent;
import dev.coffer.placement.log.PositionedPlacementEvent;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ReplicaRoutingTableTest {
  private static final ShardId SHARD_1 = ShardId.of("shard-1");
  private static final ShardId SHARD_9 = ShardId.of("shard-9");
  private static final Cell CELL_1 = new Cell(SHARD_1, List.of(Upstream.parse("127.0.0.1:8410")));
  private static final List<Upstream> CONTROL = List.of(Upstream.parse("127.0.0.1:8400"));

  private final InMemoryPlacementReplica replica = new InMemoryPlacementReplica();
  private final ReplicaRoutingTable table = new ReplicaRoutingTable(replica);
  private long version;

  private void apply(PlacementEvent event) {
    replica.apply(
        List.of(
            new PositionedPlacementEvent(new LogPosition(version, version), event, Instant.EPOCH)));
  }

  private void place(String vault, ShardId shard, Placement.State state) {
    version++;
    Placement placement = new Placement(VaultName.of(vault), shard, state, Instant.EPOCH);
    apply(new PlacementEvent.VaultPlaced(placement, version));
  }

  private void host(ShardId shard, String host, int port, HostState state) {
    version++;
    apply(
        new PlacementEvent.CellHostSet(
            shard,
            new CellHost(HostId.of(host), Endpoint.parse("http://127.0.0.1:" + port), state),
            version));
  }

  @BeforeEach
  void routingData() {
    version++;
    apply(new PlacementEvent.ShardRegistered(SHARD_1, Instant.EPOCH, version));
    host(SHARD_1, "host-a", 8410, HostState.MEMBER);
    version++;
    apply(
        new PlacementEvent.ControlPlaneSet(
            new ControlPlane(ControlPlaneId.of("cp-1"), Endpoint.parse("http://127.0.0.1:8400")),
            version));
  }

  @Test
  void anActiveVaultRoutesToItsShardsCell() {
    place("payments", SHARD_1, Placement.State.ACTIVE);
    assertThat(table.cellOf(VaultName.of("payments"))).contains(CELL_1);
    assertThat(table.controlPlanes()).isEqualTo(CONTROL);
  }

  @Test
  void anUnknownOrCreatingVaultHasNoCell() {
    place("orders", SHARD_1, Placement.State.CREATING);
    assertThat(table.cellOf(VaultName.of("orders"))).isEmpty();
    assertThat(table.cellOf(VaultName.of("unknown"))).isEmpty();
  }

  @Test
  void aJoiningHostServesNoReadsUntilItIsAMember() {
    place("payments", SHARD_1, Placement.State.ACTIVE);
    host(SHARD_1, "host-b", 8412, HostState.JOINING);
    assertThat(table.cellOf(VaultName.of("payments"))).contains(CELL_1);
    host(SHARD_1, "host-b", 8412, HostState.MEMBER);
    assertThat(table.cellOf(VaultName.of("payments")).orElseThrow().hosts())
        .containsExactly(Upstream.parse("127.0.0.1:8410"), Upstream.parse("127.0.0.1:8412"));
    assertThat(table.groups()).containsEntry("control-planes", CONTROL).containsKey("cell-shard-1");
  }

  @Test
  void aVaultOnAShardWithoutMemberHostsHasACellWithNoHosts() {
    place("ledger", SHARD_9, Placement.State.ACTIVE);
    assertThat(table.cellOf(VaultName.of("ledger"))).contains(new Cell(SHARD_9, List.of()));
  }
}
