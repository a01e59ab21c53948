package dev.coffer.placement.log;

import dev.coffer.core.model.LogPosition;
import dev.coffer.core.model.ShardId;
import dev.coffer.core.model.VaultName;
import dev.coffer.core.storage.VaultPlacementStore.Placement;
import dev.coffer.placement.log.PlacementEvent.ShardRegistered;
import dev.coffer.placement.log.PlacementEvent.VaultPlaced;
import dev.coffer.placement.log.PlacementEvent.VaultUnplaced;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * A placement replica in memory: rebuilt from the base store's log at every start, which suits a
 * process that can replay the whole log (it is never truncated, and holds one entry per placement
 * change). Reads and batches are serialised by the object's lock, so a reader sees a batch whole.
 */
public final class InMemoryPlacementReplica implements PlacementReplica {
  /** A vault's newest known state: a placement, or a tombstone (null) with its version. */
  private record Entry(long version, Placement placement) {}

  private final Map<VaultName, Entry> vaults = new HashMap<>();
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
        newer(placed.placement().vault(), new Entry(placed.version(), placed.placement()));
      } else {
        VaultUnplaced unplaced = (VaultUnplaced) event;
        newer(unplaced.vault(), new Entry(unplaced.version(), null));
      }
    }
    LogPosition last = batch.get(batch.size() - 1).position();
    if (last.compareTo(applied) > 0) {
      applied = last;
    }
  }

  private void newer(VaultName vault, Entry entry) {
    vaults.merge(vault, entry, (old, fresh) -> fresh.version() > old.version() ? fresh : old);
  }

  @Override
  public synchronized LogPosition appliedPosition() {
    return applied;
  }

  @Override
  public synchronized Optional<Placement> find(VaultName vault) {
    Entry entry = vaults.get(vault);
    return entry == null ? Optional.empty() : Optional.ofNullable(entry.placement());
  }

  @Override
  public synchronized List<ShardId> shards() {
    return List.copyOf(shards);
  }
}
