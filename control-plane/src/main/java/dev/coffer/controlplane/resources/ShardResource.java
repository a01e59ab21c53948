package dev.coffer.controlplane.resources;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.coffer.core.error.CofferException;
import dev.coffer.core.error.ErrorCode;
import dev.coffer.core.model.HostId;
import dev.coffer.core.model.ShardId;
import dev.coffer.core.storage.CellMembership;
import dev.coffer.placement.ShardDirectory;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;

/** Operators' view of the shards and the hosts of each cell, with their applied positions. */
@Path("/v1/shards")
@Produces(MediaType.APPLICATION_JSON)
public final class ShardResource {
  /** One host as listed. */
  public record HostView(
      @JsonProperty("host") String host,
      @JsonProperty("state") String state,
      @JsonProperty("appliedPosition") String appliedPosition,
      @JsonProperty("registeredAt") String registeredAt,
      @JsonProperty("reportedAt") String reportedAt) {}

  /** One shard and its cell. */
  public record ShardView(
      @JsonProperty("shard") String shard, @JsonProperty("hosts") List<HostView> hosts) {}

  private final ShardDirectory shards;

  public ShardResource(ShardDirectory shards) {
    this.shards = shards;
  }

  @GET
  public Map<String, List<ShardView>> list() {
    return Map.of(
        "shards",
        shards.all().entrySet().stream()
            .sorted(Map.Entry.comparingByKey())
            .map(e -> new ShardView(e.getKey().value(), hosts(e.getValue().cell())))
            .toList());
  }

  @GET
  @Path("{shard}/hosts")
  public ShardView hosts(@PathParam("shard") String shard) {
    ShardId id = ShardId.of(shard);
    return new ShardView(id.value(), hosts(shards.known(id).cell()));
  }

  /** The explicit operator action that stops a dead host from holding activation back. */
  @DELETE
  @Path("{shard}/hosts/{host}")
  public Map<String, Object> remove(
      @PathParam("shard") String shard, @PathParam("host") String host) {
    ShardId id = ShardId.of(shard);
    HostId hostId = HostId.of(host);
    if (!shards.known(id).cell().remove(hostId)) {
      throw new CofferException(
          ErrorCode.NOT_FOUND, "No host of that name is registered in the shard's cell.");
    }
    return Map.of("shard", id.value(), "host", hostId.value(), "removed", true);
  }

  private static List<HostView> hosts(CellMembership cell) {
    return cell.hosts().stream()
        .map(
            h ->
                new HostView(
                    h.host().value(),
                    h.state().name(),
                    h.applied().toString(),
                    h.registeredAt().toString(),
                    h.reportedAt().toString()))
        .toList();
  }
}
