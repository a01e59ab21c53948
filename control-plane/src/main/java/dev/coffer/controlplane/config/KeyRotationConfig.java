package dev.coffer.controlplane.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/** How the background rewrap of data keys after a vault key rotation runs. */
public class KeyRotationConfig {
  /**
   * Data keys rewrapped per second, across all vaults of this control plane: each is a row update
   * and a replicated event, so this bounds the extra load a rotation puts on shards and hosts.
   */
  @Min(1)
  @Max(100_000)
  @JsonProperty
  private int rewrapPerSecond = 500;

  /** Data keys per transaction. */
  @Min(1)
  @Max(1000)
  @JsonProperty
  private int batchSize = 100;

  /** How often the job looks for rewraps that another control plane, or a crash, left behind. */
  @NotNull @JsonProperty private Duration pollInterval = Duration.seconds(5);

  /** Rotate a vault key by itself once its nonce budget says so. */
  @JsonProperty private boolean automatic = true;

  /**
   * How often encryption counts are added to the shard stores' totals. A crash loses at most this
   * much of a process's count, a tiny share of the margin between the rotation threshold (2^28 by
   * default) and the limit (2^32).
   */
  @NotNull @JsonProperty private Duration usageReportInterval = Duration.seconds(10);

  public java.time.Duration usageReportInterval() {
    return usageReportInterval.toJavaDuration();
  }

  public int rewrapPerSecond() {
    return rewrapPerSecond;
  }

  public int batchSize() {
    return batchSize;
  }

  public java.time.Duration pollInterval() {
    return pollInterval.toJavaDuration();
  }

  public boolean automatic() {
    return automatic;
  }
}
