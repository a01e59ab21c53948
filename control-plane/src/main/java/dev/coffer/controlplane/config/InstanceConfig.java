package dev.coffer.controlplane.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.coffer.core.model.ControlPlaneId;
import dev.coffer.core.model.Endpoint;
import dev.coffer.placement.ControlPlane;
import io.dropwizard.util.Duration;
import jakarta.validation.constraints.NotNull;
import java.util.Optional;

/** This control plane instance as routers see it, and how often it mirrors the cells for them. */
public final class InstanceConfig {
  /** The instance's name, unique among the control planes of one deployment. */
  @JsonProperty private String id;

  /** Where its API listens as routers reach it; without one (and an id), routers skip it. */
  @JsonProperty private String advertisedEndpoint;

  @NotNull @JsonProperty private Duration cellSyncInterval = Duration.seconds(1);

  public Optional<ControlPlane> advertised() {
    if (id == null || advertisedEndpoint == null) {
      return Optional.empty();
    }
    return Optional.of(new ControlPlane(ControlPlaneId.of(id), Endpoint.parse(advertisedEndpoint)));
  }

  public Duration cellSyncInterval() {
    return cellSyncInterval;
  }
}
