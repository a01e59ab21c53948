package dev.coffer.placement.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.lists;

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
import dev.coffer.placement.log.PlacementEvent.CellHostRemoved;
import dev.coffer.placement.log.PlacementEvent.CellHostSet;
import dev.coffer.placement.log.PlacementEvent.ControlPlaneRemoved;
import dev.coffer.placement.log.PlacementEvent.ControlPlaneSet;
import dev.coffer.placement.log.PlacementEvent.ShardRegistered;
import dev.coffer.placement.log.PlacementEvent.VaultPlaced;
import dev.coffer.placement.log.PlacementEvent.VaultUnplaced;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/** What every {@link PlacementReplica} must do; each implementation's test extends this. */
public abstract class PlacementReplicaContract {
  private static final ShardId ONE = ShardId.of("shard-1");
  private static final ShardId TWO = ShardId.of("shard-2");
  private static final VaultName PAYMENTS = VaultName.of("payments");
  private static final Instant AT = Instant.parse("2026-12-01T10:15:30.123456Z");

  /** A new, empty replica. */
  protected abstract PlacementReplica newReplica();

  private static PositionedPlacementEvent at(long tx, PlacementEvent event) {
    return new PositionedPlacementEvent(new LogPosition(tx, tx), event, Instant.EPOCH);
  }

  private static VaultPlaced placed(VaultName vault, ShardId shard, Placement.State state, long v) {
    return new VaultPlaced(new Placement(vault, shard, state, AT), v);
  }

  @Test
  void anEmptyReplicaKnowsNothingAndIsAtZero() {
    PlacementReplica replica = newReplica();
    assertThat(replica.appliedPosition()).isEqualTo(LogPosition.ZERO);
    assertThat(replica.find(PAYMENTS)).isEmpty();
    assertThat(replica.shards()).isEmpty();
  }

  @Test
  void appliesShardsAndPlacementsAndRecordsTheLastPosition() {
    PlacementReplica replica = newReplica();
    replica.apply(
        List.of(
            at(1, new ShardRegistered(TWO, AT, 1)),
            at(2, new ShardRegistered(ONE, AT, 2)),
            at(3, placed(PAYMENTS, TWO, Placement.State.CREATING, 3))));
    replica.apply(List.of(at(4, placed(PAYMENTS, TWO, Placement.State.ACTIVE, 4))));

    assertThat(replica.shards()).containsExactly(ONE, TWO);
    assertThat(replica.find(PAYMENTS))
        .contains(new Placement(PAYMENTS, TWO, Placement.State.ACTIVE, AT));
    assertThat(replica.appliedPosition()).isEqualTo(new LogPosition(4, 4));
  }

  @Test
  void aDroppedPlacementIsGoneAndTheNameCanBeTakenAgain() {
    PlacementReplica replica = newReplica();
    replica.apply(List.of(at(1, placed(PAYMENTS, ONE, Placement.State.CREATING, 5))));
    replica.apply(List.of(at(2, new VaultUnplaced(PAYMENTS, 6))));
    assertThat(replica.find(PAYMENTS)).isEmpty();

    replica.apply(List.of(at(3, placed(PAYMENTS, TWO, Placement.State.CREATING, 7))));
    assertThat(replica.find(PAYMENTS))
        .contains(new Placement(PAYMENTS, TWO, Placement.State.CREATING, AT));
  }

  @Test
  void anOlderVersionNeverReplacesANewerOneNorATombstone() {
    PlacementReplica replica = newReplica();
    replica.apply(List.of(at(1, placed(PAYMENTS, ONE, Placement.State.ACTIVE, 10))));
    replica.apply(List.of(at(2, placed(PAYMENTS, ONE, Placement.State.CREATING, 9))));
    assertThat(replica.find(PAYMENTS).orElseThrow().state()).isEqualTo(Placement.State.ACTIVE);

    replica.apply(List.of(at(3, new VaultUnplaced(PAYMENTS, 12))));
    replica.apply(List.of(at(4, placed(PAYMENTS, ONE, Placement.State.CREATING, 11))));
    assertThat(replica.find(PAYMENTS)).isEmpty();
  }

  @Test
  void replayingABatchChangesNothing() {
    PlacementReplica replica = newReplica();
    List<PositionedPlacementEvent> batch =
        List.of(
            at(1, new ShardRegistered(ONE, AT, 1)),
            at(2, placed(PAYMENTS, ONE, Placement.State.ACTIVE, 2)));
    replica.apply(batch);
    replica.apply(batch);
    assertThat(replica.shards()).containsExactly(ONE);
    assertThat(replica.find(PAYMENTS))
        .contains(new Placement(PAYMENTS, ONE, Placement.State.ACTIVE, AT));
    assertThat(replica.appliedPosition()).isEqualTo(new LogPosition(2, 2));
  }

  @Test
  void keepsEachCellsHostsAndTheControlPlanesWithRemovalsAsTombstones() {
    PlacementReplica replica = newReplica();
    CellHost a =
        new CellHost(
            HostId.of("host-a"), Endpoint.parse("https://10.0.0.1:8410"), HostState.MEMBER);
    CellHost b =
        new CellHost(
            HostId.of("host-b"), Endpoint.parse("https://10.0.0.2:8410"), HostState.JOINING);
    CellHost bMember = new CellHost(b.host(), b.endpoint(), HostState.MEMBER);
    ControlPlane cp1 =
        new ControlPlane(ControlPlaneId.of("cp-1"), Endpoint.parse("https://10.0.1.1:8400"));
    ControlPlane cp2 =
        new ControlPlane(ControlPlaneId.of("cp-2"), Endpoint.parse("https://10.0.1.2:8400"));
    replica.apply(
        List.of(
            at(1, new CellHostSet(ONE, b, 1)),
            at(2, new CellHostSet(ONE, a, 2)),
            at(3, new CellHostSet(TWO, a, 3)),
            at(4, new ControlPlaneSet(cp2, 4)),
            at(5, new ControlPlaneSet(cp1, 5))));
    assertThat(replica.cell(ONE)).containsExactly(a, b);
    assertThat(replica.cell(TWO)).containsExactly(a);
    assertThat(replica.cell(ShardId.of("shard-3"))).isEmpty();
    assertThat(replica.controlPlanes()).containsExactly(cp1, cp2);

    replica.apply(
        List.of(
            at(6, new CellHostSet(ONE, bMember, 6)),
            at(7, new CellHostRemoved(TWO, a.host(), 7)),
            at(8, new ControlPlaneRemoved(cp2.id(), 8)),
            // Older than what the replica holds: ignored.
            at(9, new CellHostSet(TWO, a, 3)),
            at(10, new ControlPlaneSet(cp2, 4))));
    assertThat(replica.cell(ONE)).containsExactly(a, bMember);
    assertThat(replica.cell(TWO)).isEmpty();
    assertThat(replica.controlPlanes()).containsExactly(cp1);
  }

  @Test
  void aResetReplacesEverythingAndMovesThePositionToTheSnapshots() {
    PlacementReplica replica = newReplica();
    CellHost a =
        new CellHost(
            HostId.of("host-a"), Endpoint.parse("http://127.0.0.1:8410"), HostState.MEMBER);
    replica.apply(
        List.of(
            at(1, new ShardRegistered(ONE, AT, 1)),
            at(2, placed(PAYMENTS, ONE, Placement.State.ACTIVE, 2)),
            at(3, new CellHostSet(ONE, a, 3)),
            at(
                4,
                new ControlPlaneSet(
                    new ControlPlane(ControlPlaneId.of("cp-1"), a.endpoint()), 4))));

    VaultName orders = VaultName.of("orders");
    replica.reset(
        new PlacementSnapshot(
            new LogPosition(50, 0),
            List.of(
                new ShardRegistered(TWO, AT, 7),
                placed(orders, TWO, Placement.State.CREATING, 9))));

    assertThat(replica.appliedPosition()).isEqualTo(new LogPosition(50, 0));
    assertThat(replica.shards()).containsExactly(TWO);
    assertThat(replica.find(PAYMENTS)).isEmpty();
    assertThat(replica.find(orders)).isPresent();
    assertThat(replica.cell(ONE)).isEmpty();
    assertThat(replica.controlPlanes()).isEmpty();

    // Tailing resumes after the snapshot; an entry older than it for the same vault loses.
    replica.apply(List.of(at(51, placed(orders, TWO, Placement.State.ACTIVE, 8))));
    assertThat(replica.find(orders).orElseThrow().state()).isEqualTo(Placement.State.CREATING);
  }

  /**
   * Whatever the order events arrive in and however they are cut into batches, the replica ends
   * with each vault's newest version: the base store's log can hold two changes to one vault out of
   * version order only if the store broke its lock, but a replica must not depend on that.
   */
  @Test
  void theNewestVersionWinsWhateverTheDeliveryOrder() {
    Gen<List<Integer>> vaultOfEach = lists().of(Generate.range(0, 4)).ofSizeBetween(1, 40);
    qt().withExamples(300)
        .forAll(vaultOfEach, Generate.longRange(0, Long.MAX_VALUE))
        .checkAssert(
            (vaults, seed) -> {
              List<PositionedPlacementEvent> events = new ArrayList<>();
              Map<VaultName, Optional<Placement>> newest = new HashMap<>();
              long version = 0;
              Random random = new Random(seed);
              for (int v : vaults) {
                version++;
                VaultName vault = VaultName.of("vault-" + v);
                PlacementEvent event;
                if (random.nextInt(4) == 0) {
                  event = new VaultUnplaced(vault, version);
                  newest.put(vault, Optional.empty());
                } else {
                  VaultPlaced placed =
                      placed(
                          vault, random.nextBoolean() ? ONE : TWO, Placement.State.ACTIVE, version);
                  event = placed;
                  newest.put(vault, Optional.of(placed.placement()));
                }
                events.add(at(version, event));
              }
              List<PositionedPlacementEvent> shuffled = new ArrayList<>(events);
              Collections.shuffle(shuffled, random);
              PlacementReplica replica = newReplica();
              int from = 0;
              while (from < shuffled.size()) {
                int to = Math.min(shuffled.size(), from + 1 + random.nextInt(5));
                replica.apply(shuffled.subList(from, to));
                from = to;
              }
              newest.forEach(
                  (vault, placement) -> assertThat(replica.find(vault)).isEqualTo(placement));
            });
  }
}
