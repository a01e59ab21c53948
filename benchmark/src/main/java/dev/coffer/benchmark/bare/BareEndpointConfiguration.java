package dev.coffer.benchmark.bare;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.coffer.service.config.AuthConfig;
import io.dropwizard.core.Configuration;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/** The bare endpoint's configuration: the hosts' authentication, and the size of its answer. */
public class BareEndpointConfiguration extends Configuration {
  @Valid @NotNull @JsonProperty private AuthConfig auth;

  @Min(1)
  @Max(65536)
  @JsonProperty
  private int valueBytes = 1024;

  public AuthConfig auth() {
    return auth;
  }

  public int valueBytes() {
    return valueBytes;
  }
}
