package dev.coffer.placement;

import dev.coffer.core.model.ControlPlaneId;
import dev.coffer.core.model.ShardId;
import java.util.List;

/**
 * The base store's record of where requests can go: each shard's cell of hosts, and the control
 * plane instances. Every change is appended to the base store's log, so routers learn it by tailing
 * that log; a change that changes nothing appends nothing.
 */
public interface RoutingDirectory {
  /**
   * Makes the recorded cell of {@code shard} exactly {@code hosts} (a host id at most once): hosts
   * missing from it are removed, new or changed ones recorded. Safe to call from several control
   * planes at once.
   */
  void syncCell(ShardId shard, List<CellHost> hosts);

  /** The recorded hosts of {@code shard}'s cell, in host id order; empty for an unknown shard. */
  List<CellHost> cell(ShardId shard);

  /** Records a control plane instance, or its new endpoint. */
  void registerControlPlane(ControlPlane controlPlane);

  /**
   * Removes a control plane instance from the record.
   *
   * @return false when none of that name was recorded
   */
  boolean removeControlPlane(ControlPlaneId id);

  /** The recorded control plane instances, in name order. */
  List<ControlPlane> controlPlanes();
}
