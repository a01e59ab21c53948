package dev.coffer.routing.table;

import dev.coffer.core.model.VaultName;
import java.util.List;
import java.util.Optional;

/**
 * Where requests go. Answers from local state only: no call may wait on the network, because it
 * runs on the request's path (and on an event loop).
 */
public interface RoutingTable {
  /** The cell serving the vault's reads; empty when the vault is unknown or not yet ACTIVE. */
  Optional<Cell> cellOf(VaultName vault);

  /** The control planes, any of which takes any write or admin call. */
  List<Upstream> controlPlanes();
}
