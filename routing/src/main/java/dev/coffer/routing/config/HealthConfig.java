package dev.coffer.routing.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/** Active probes and passive ejection of upstreams ({@code upstreamHealth:}). */
public class HealthConfig {
  /** A TCP connect to each upstream's API port this often. */
  @NotNull @JsonProperty private Duration probeInterval = Duration.seconds(2);

  @NotNull @JsonProperty private Duration probeTimeout = Duration.seconds(1);

  /** Consecutive failed requests that eject an upstream. */
  @Min(1)
  @JsonProperty
  private int ejectAfterFailures = 3;

  /** How long an ejected upstream gets no requests. */
  @NotNull @JsonProperty private Duration ejectionTime = Duration.seconds(10);

  public java.time.Duration probeInterval() {
    return probeInterval.toJavaDuration();
  }

  public java.time.Duration probeTimeout() {
    return probeTimeout.toJavaDuration();
  }

  public int ejectAfterFailures() {
    return ejectAfterFailures;
  }

  public java.time.Duration ejectionTime() {
    return ejectionTime.toJavaDuration();
  }
}
