package dev.coffer.placement;

import dev.coffer.core.model.Endpoint;
import dev.coffer.core.model.HostId;
import dev.coffer.core.storage.CellMembership.HostState;
import java.util.Objects;

/**
 * A data-plane host of a shard's cell as routers see it: where its API listens, and its standing.
 */
public record CellHost(HostId host, Endpoint endpoint, HostState state) {
  public CellHost {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(state, "state");
  }
}
