package dev.coffer.controlplane;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.coffer.controlplane.config.ShardConfig;
import dev.coffer.service.config.AuthConfig;
import dev.coffer.service.config.RootKeyConfig;
import io.dropwizard.core.Configuration;
import io.dropwizard.db.DataSourceFactory;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.util.List;

/** The control plane's configuration file. */
public class ControlPlaneConfiguration extends Configuration {
  @Valid @NotNull @JsonProperty private AuthConfig auth;

  @Valid @NotNull @JsonProperty private RootKeyConfig rootKey;

  @Valid @NotNull @JsonProperty private DataSourceFactory baseStore;

  @Valid @NotEmpty @JsonProperty private List<ShardConfig> shards;

  public AuthConfig auth() {
    return auth;
  }

  public RootKeyConfig rootKey() {
    return rootKey;
  }

  public DataSourceFactory baseStore() {
    return baseStore;
  }

  public List<ShardConfig> shards() {
    return shards;
  }
}
