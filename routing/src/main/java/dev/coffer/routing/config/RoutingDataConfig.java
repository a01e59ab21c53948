package dev.coffer.routing.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/** How the router tails the base store's log of placements ({@code routingData:}). */
public class RoutingDataConfig {
  /** The log is read this often besides the base store's notifications. */
  @NotNull @JsonProperty private Duration pollInterval = Duration.seconds(1);

  @Min(1)
  @JsonProperty
  private int batchSize = 500;

  /** The routing-data health check fails when the log was last read longer ago than this. */
  @NotNull @JsonProperty private Duration staleAfter = Duration.seconds(30);

  public java.time.Duration pollInterval() {
    return pollInterval.toJavaDuration();
  }

  public int batchSize() {
    return batchSize;
  }

  public java.time.Duration staleAfter() {
    return staleAfter.toJavaDuration();
  }
}
