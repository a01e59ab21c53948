package dev.coffer.routing;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.coffer.core.model.ShardId;
import dev.coffer.routing.config.HealthConfig;
import dev.coffer.routing.config.ListenConfig;
import dev.coffer.routing.config.ProxyConfig;
import dev.coffer.routing.config.RoutingDataConfig;
import dev.coffer.routing.table.Cell;
import dev.coffer.routing.table.Upstream;
import dev.coffer.service.config.AuthConfig;
import io.dropwizard.core.Configuration;
import io.dropwizard.db.DataSourceFactory;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The router's configuration file. The cells' hosts and the control planes are listed here until
 * the base store carries them; placements always come from the base store's log.
 */
public class RouterConfiguration extends Configuration {
  /** The admin token of the admin port's tasks, as every Coffer server has. */
  @Valid @NotNull @JsonProperty private AuthConfig auth;

  /** The base store's database; the router reads its log and never changes its schema. */
  @Valid @NotNull @JsonProperty private DataSourceFactory baseStore;

  @Valid @NotNull @JsonProperty private ListenConfig listen = new ListenConfig();

  /** {@code host:port} of each control plane's API. */
  @NotEmpty @JsonProperty private List<String> controlPlanes;

  /** Per shard id, {@code host:port} of the API of each data-plane host of its cell. */
  @NotNull @JsonProperty private Map<String, List<String>> cells = Map.of();

  @Valid @NotNull @JsonProperty private ProxyConfig proxy = new ProxyConfig();

  @Valid @NotNull @JsonProperty private HealthConfig upstreamHealth = new HealthConfig();

  @Valid @NotNull @JsonProperty private RoutingDataConfig routingData = new RoutingDataConfig();

  public AuthConfig auth() {
    return auth;
  }

  public DataSourceFactory baseStore() {
    return baseStore;
  }

  public ListenConfig listen() {
    return listen;
  }

  public List<Upstream> controlPlanes() {
    return controlPlanes.stream().map(Upstream::parse).toList();
  }

  public Map<ShardId, Cell> cells() {
    Map<ShardId, Cell> parsed = new LinkedHashMap<>();
    cells.forEach(
        (shard, hosts) -> {
          ShardId id = ShardId.of(shard);
          parsed.put(id, new Cell(id, hosts.stream().map(Upstream::parse).toList()));
        });
    return parsed;
  }

  /** Every upstream named here, the cells' hosts first. */
  public List<Upstream> allUpstreams() {
    List<Upstream> all = new ArrayList<>();
    cells().values().forEach(cell -> all.addAll(cell.hosts()));
    all.addAll(controlPlanes());
    return all;
  }

  public ProxyConfig proxy() {
    return proxy;
  }

  public HealthConfig upstreamHealth() {
    return upstreamHealth;
  }

  public RoutingDataConfig routingData() {
    return routingData;
  }
}
