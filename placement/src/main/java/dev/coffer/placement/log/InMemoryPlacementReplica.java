package dev.coffer.placement.log;

import dev.coffer.core.model.ControlPlaneId;
import dev.coffer.core.model.HostId;
import dev.coffer.core.model.LogPosition;
import dev.coffer.core.model.ShardId;
import dev.coffer.core.model.VaultName;
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
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A placement replica in memory: rebuilt from the base store's log at every start, which suits a
 * process that can replay the whole log (it is never truncated, and holds one entry per placement
 * change). Reads and batches are serialised by the object's lock, so a reader sees a batch whole.
 */
public final class InMemoryPlacementReplica implements PlacementReplica {
  /** An item's newest known state: a value, or a tombstone (null) with its version. */
  private record Entry<V>(long version, V value) {}

  private final Map<VaultName, Entry<Placement>> vaults = new HashMap<>();

  /** Per shard, its cell's hosts in id order: a routed read asks for one shard's cell. */
  private final Map<ShardId, Map<HostId, Entry<CellHost>>> cellHosts = new HashMap<>();

  private final Map<ControlPlaneId, Entry<ControlPlane>> controlPlanes = new HashMap<>();
  private final TreeSet<ShardId> shards = new TreeSet<>();
  private LogPosition applied = LogPosition.ZERO;

  @Override
  public synchronized void apply(List<PositionedPlacementEvent> batch) {
    if (batch.isEmpty()) {
      return;
    }
    for (PositionedPlacementEvent positioned : batch) {
      PlacementEvent event = positioned.event();
      if (event instanceof ShardRegistered registered) {
        shards.add(registered.shard());
      } else if (event instanceof VaultPlaced placed) {
        newer(vaults, placed.placement().vault(), placed.version(), placed.placement());
      } else if (event instanceof VaultUnplaced unplaced) {
        newer(vaults, unplaced.vault(), unplaced.version(), null);
      } else if (event instanceof CellHostSet set) {
        newer(cellOf(set.shard()), set.host().host(), set.version(), set.host());
      } else if (event instanceof CellHostRemoved removed) {
        newer(cellOf(removed.shard()), removed.host(), removed.version(), null);
      } else if (event instanceof ControlPlaneSet set) {
        newer(controlPlanes, set.controlPlane().id(), set.version(), set.controlPlane());
      } else {
        ControlPlaneRemoved removed = (ControlPlaneRemoved) event;
        newer(controlPlanes, removed.id(), removed.version(), null);
      }
    }
    LogPosition last = batch.get(batch.size() - 1).position();
    if (last.compareTo(applied) > 0) {
      applied = last;
    }
  }

  @Override
  public synchronized void reset(PlacementSnapshot snapshot) {
    vaults.clear();
    cellHosts.clear();
    controlPlanes.clear();
    shards.clear();
    List<PositionedPlacementEvent> state = new ArrayList<>();
    for (PlacementEvent event : snapshot.state()) {
      state.add(new PositionedPlacementEvent(snapshot.position(), event, Instant.EPOCH));
    }
    apply(state);
    applied = snapshot.position();
  }

  private static <K, V> void newer(Map<K, Entry<V>> items, K key, long version, V value) {
    items.merge(
        key,
        new Entry<>(version, value),
        (old, fresh) -> fresh.version() > old.version() ? fresh : old);
  }

  @Override
  public synchronized LogPosition appliedPosition() {
    return applied;
  }

  @Override
  public synchronized Optional<Placement> find(VaultName vault) {
    Entry<Placement> entry = vaults.get(vault);
    return entry == null ? Optional.empty() : Optional.ofNullable(entry.value());
  }

  @Override
  public synchronized List<CellHost> cell(ShardId shard) {
    Map<HostId, Entry<CellHost>> cell = cellHosts.get(shard);
    if (cell == null) {
      return List.of();
    }
    List<CellHost> hosts = new ArrayList<>(cell.size());
    for (Entry<CellHost> entry : cell.values()) {
      if (entry.value() != null) {
        hosts.add(entry.value());
      }
    }
    return hosts;
  }

  /** The shard's hosts, kept in id order (a TreeMap), so a listing needs no sort. */
  private Map<HostId, Entry<CellHost>> cellOf(ShardId shard) {
    return cellHosts.computeIfAbsent(shard, s -> new TreeMap<>());
  }

  @Override
  public synchronized List<ControlPlane> controlPlanes() {
    return controlPlanes.values().stream()
        .map(Entry::value)
        .filter(Objects::nonNull)
        .sorted(Comparator.comparing(ControlPlane::id))
        .toList();
  }

  @Override
  public synchronized List<ShardId> shards() {
    return List.copyOf(shards);
  }
}
