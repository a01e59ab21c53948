package dev.coffer.placement.log;

import dev.coffer.core.model.ControlPlaneId;
import dev.coffer.core.model.HostId;
import dev.coffer.core.model.ShardId;
import dev.coffer.core.model.VaultName;
import dev.coffer.core.storage.VaultPlacementStore.Placement;
import dev.coffer.placement.CellHost;
import dev.coffer.placement.ControlPlane;
import java.time.Instant;
import java.util.Objects;

/**
 * One entry of the base store's log: a shard became known, a vault's placement was set or dropped,
 * a cell's host or a control plane instance was recorded or removed. Versions come from one
 * sequence of the base store, so a later change to a vault (a cell's host, a control plane) always
 * carries a higher version, even after it was dropped and taken again.
 */
public sealed interface PlacementEvent {
  /** For logs and the log row's entity column: names only. */
  String entity();

  long version();

  /** A shard was registered; shards are never removed. */
  record ShardRegistered(ShardId shard, Instant registeredAt, long version)
      implements PlacementEvent {
    public ShardRegistered {
      Objects.requireNonNull(shard, "shard");
      Objects.requireNonNull(registeredAt, "registeredAt");
    }

    @Override
    public String entity() {
      return "shard/" + shard;
    }
  }

  /** A vault's placement as it now is (created CREATING, then made ACTIVE). */
  record VaultPlaced(Placement placement, long version) implements PlacementEvent {
    public VaultPlaced {
      Objects.requireNonNull(placement, "placement");
    }

    @Override
    public String entity() {
      return "vault/" + placement.vault();
    }
  }

  /** A host of a shard's cell was recorded, or its endpoint or standing changed. */
  record CellHostSet(ShardId shard, CellHost host, long version) implements PlacementEvent {
    public CellHostSet {
      Objects.requireNonNull(shard, "shard");
      Objects.requireNonNull(host, "host");
    }

    @Override
    public String entity() {
      return "cell/" + shard + "/" + host.host();
    }
  }

  /** A host left a shard's cell. */
  record CellHostRemoved(ShardId shard, HostId host, long version) implements PlacementEvent {
    public CellHostRemoved {
      Objects.requireNonNull(shard, "shard");
      Objects.requireNonNull(host, "host");
    }

    @Override
    public String entity() {
      return "cell/" + shard + "/" + host;
    }
  }

  /** A control plane instance was recorded, or its endpoint changed. */
  record ControlPlaneSet(ControlPlane controlPlane, long version) implements PlacementEvent {
    public ControlPlaneSet {
      Objects.requireNonNull(controlPlane, "controlPlane");
    }

    @Override
    public String entity() {
      return "control-plane/" + controlPlane.id();
    }
  }

  /** A control plane instance was removed from the record. */
  record ControlPlaneRemoved(ControlPlaneId id, long version) implements PlacementEvent {
    public ControlPlaneRemoved {
      Objects.requireNonNull(id, "id");
    }

    @Override
    public String entity() {
      return "control-plane/" + id;
    }
  }

  /** A CREATING placement was dropped because its creation failed; the name is free again. */
  record VaultUnplaced(VaultName vault, long version) implements PlacementEvent {
    public VaultUnplaced {
      Objects.requireNonNull(vault, "vault");
    }

    @Override
    public String entity() {
      return "vault/" + vault;
    }
  }
}
