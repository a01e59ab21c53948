package dev.coffer.dataplane;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.coffer.core.model.Endpoint;
import dev.coffer.service.config.AuthConfig;
import dev.coffer.service.config.RootOfTrustConfig;
import io.dropwizard.core.Configuration;
import io.dropwizard.db.DataSourceFactory;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MaxDuration;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** A data-plane host's configuration file. */
public class DataPlaneConfiguration extends Configuration {
  /** Where reads are served from. */
  public enum ReadAccessor {
    /** The host's RocksDB replica: the production mode. */
    LOCAL,
    /** The shard's PostgreSQL store: for comparison and as a fallback. */
    REMOTE
  }

  @NotEmpty @JsonProperty private String shard;

  @NotEmpty @JsonProperty private String hostId;

  @Valid @NotNull @JsonProperty private AuthConfig auth;

  @Valid @NotNull @JsonProperty private RootOfTrustConfig rootOfTrust;

  @Valid @NotNull @JsonProperty private DataSourceFactory shardStore;

  @NotNull @JsonProperty private ReadAccessor readAccessor = ReadAccessor.LOCAL;

  @NotEmpty @JsonProperty private String replicaDirectory;

  @Min(1)
  @Max(100_000)
  @JsonProperty
  private int applyBatchSize = 1000;

  @NotNull @JsonProperty private Duration pollInterval = Duration.milliseconds(250);

  /**
   * Where this host's API listens as routers reach it ({@code https://10.0.0.7:8410}); advertised
   * to the cell at start, from which the control planes tell the routers. None: not routable.
   */
  @JsonProperty private String advertisedEndpoint;

  /**
   * How long a read presenting a replication token this host has not applied yet may wait for the
   * replica before the shard store answers it. Each waiting read holds a server thread, hence the
   * cap.
   */
  @NotNull
  @MaxDuration(value = 5, unit = TimeUnit.SECONDS)
  @JsonProperty
  private Duration readYourWritesWait = Duration.milliseconds(100);

  public Optional<Endpoint> advertisedEndpoint() {
    return Optional.ofNullable(advertisedEndpoint).map(Endpoint::parse);
  }

  public String shard() {
    return shard;
  }

  public String hostId() {
    return hostId;
  }

  public AuthConfig auth() {
    return auth;
  }

  public RootOfTrustConfig rootOfTrust() {
    return rootOfTrust;
  }

  public DataSourceFactory shardStore() {
    return shardStore;
  }

  public ReadAccessor readAccessor() {
    return readAccessor;
  }

  public String replicaDirectory() {
    return replicaDirectory;
  }

  public int applyBatchSize() {
    return applyBatchSize;
  }

  public Duration pollInterval() {
    return pollInterval;
  }

  public Duration readYourWritesWait() {
    return readYourWritesWait;
  }
}
