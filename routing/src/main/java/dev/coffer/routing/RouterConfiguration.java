package dev.coffer.routing;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.coffer.routing.config.HealthConfig;
import dev.coffer.routing.config.ListenConfig;
import dev.coffer.routing.config.ProxyConfig;
import dev.coffer.routing.config.RoutingDataConfig;
import dev.coffer.service.config.AuthConfig;
import io.dropwizard.core.Configuration;
import io.dropwizard.db.DataSourceFactory;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

/**
 * The router's configuration file. Where requests go (placements, each cell's hosts, the control
 * planes) is not configured here: it comes from the base store's log, which the control planes keep
 * true.
 */
public class RouterConfiguration extends Configuration {
  /** The admin token of the admin port's tasks, as every Coffer server has. */
  @Valid @NotNull @JsonProperty private AuthConfig auth;

  /** The base store's database; the router reads its log and never changes its schema. */
  @Valid @NotNull @JsonProperty private DataSourceFactory baseStore;

  @Valid @NotNull @JsonProperty private ListenConfig listen = new ListenConfig();

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
