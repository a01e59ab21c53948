package dev.coffer.routing.table;

import dev.coffer.core.model.ShardId;
import java.util.List;

/**
 * The data-plane hosts that serve one shard's reads. A cell with no hosts is possible (a shard the
 * router has not been told about) and is answered as a cell that is down.
 */
public record Cell(ShardId shard, List<Upstream> hosts) {
  public Cell {
    hosts = List.copyOf(hosts);
  }
}
