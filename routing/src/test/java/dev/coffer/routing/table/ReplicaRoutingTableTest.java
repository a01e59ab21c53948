package dev.coffer.routing.table;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.core.model.LogPosition;
import dev.coffer.core.model.ShardId;
import dev.coffer.core.model.VaultName;
import dev.coffer.core.storage.VaultPlacementStore.Placement;
import dev.coffer.placement.log.InMemoryPlacementReplica;
import dev.coffer.placement.log.PlacementEvent;
import dev.coffer.placement.log.PositionedPlacementEvent;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReplicaRoutingTableTest {
  private static final ShardId SHARD_1 = ShardId.of("shard-1");
  private static final ShardId SHARD_9 = ShardId.of("shard-9");
  private static final Cell CELL_1 = new Cell(SHARD_1, List.of(Upstream.parse("127.0.0.1:8410")));
  private static final List<Upstream> CONTROL = List.of(Upstream.parse("127.0.0.1:8400"));

  private final InMemoryPlacementReplica replica = new InMemoryPlacementReplica();
  private final RoutingTable table =
      new ReplicaRoutingTable(replica, Map.of(SHARD_1, CELL_1), CONTROL);
  private long version;

  private void place(String vault, ShardId shard, Placement.State state) {
    version++;
    Placement placement = new Placement(VaultName.of(vault), shard, state, Instant.EPOCH);
    replica.apply(
        List.of(
            new PositionedPlacementEvent(
                new LogPosition(version, version),
                new PlacementEvent.VaultPlaced(placement, version),
                Instant.EPOCH)));
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
  void aVaultOnAShardWithoutConfiguredHostsHasACellWithNoHosts() {
    place("ledger", SHARD_9, Placement.State.ACTIVE);
    assertThat(table.cellOf(VaultName.of("ledger"))).contains(new Cell(SHARD_9, List.of()));
  }
}
