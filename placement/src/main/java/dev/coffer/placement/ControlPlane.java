package dev.coffer.placement;

import dev.coffer.core.model.ControlPlaneId;
import dev.coffer.core.model.Endpoint;
import java.util.Objects;

/** A control plane instance as routers see it: its name and where its API listens. */
public record ControlPlane(ControlPlaneId id, Endpoint endpoint) {
  public ControlPlane {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(endpoint, "endpoint");
  }
}
