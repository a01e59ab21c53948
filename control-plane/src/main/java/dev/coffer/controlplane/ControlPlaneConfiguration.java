package dev.coffer.controlplane;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.coffer.controlplane.config.InstanceConfig;
import dev.coffer.controlplane.config.KeyRotationConfig;
import dev.coffer.controlplane.config.ShardConfig;
import dev.coffer.service.config.AuthConfig;
import dev.coffer.service.config.RootOfTrustConfig;
import io.dropwizard.core.Configuration;
import io.dropwizard.db.DataSourceFactory;
import io.dropwizard.util.Duration;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.util.List;

/** The control plane's configuration file. */
public class ControlPlaneConfiguration extends Configuration {
  @Valid @NotNull @JsonProperty private AuthConfig auth;

  @Valid @NotNull @JsonProperty private RootOfTrustConfig rootOfTrust;

  @Valid @NotNull @JsonProperty private DataSourceFactory baseStore;

  @Valid @NotEmpty @JsonProperty private List<ShardConfig> shards;

  /** Log events every host has applied are kept this long, then deleted. */
  @NotNull @JsonProperty private Duration logRetention = Duration.hours(1);

  @NotNull @JsonProperty private Duration truncationInterval = Duration.seconds(30);

  @Valid @NotNull @JsonProperty private KeyRotationConfig keyRotation = new KeyRotationConfig();

  @Valid @NotNull @JsonProperty private InstanceConfig instance = new InstanceConfig();

  public InstanceConfig instance() {
    return instance;
  }

  public KeyRotationConfig keyRotation() {
    return keyRotation;
  }

  public Duration logRetention() {
    return logRetention;
  }

  public Duration truncationInterval() {
    return truncationInterval;
  }

  public AuthConfig auth() {
    return auth;
  }

  public RootOfTrustConfig rootOfTrust() {
    return rootOfTrust;
  }

  public DataSourceFactory baseStore() {
    return baseStore;
  }

  public List<ShardConfig> shards() {
    return shards;
  }
}
