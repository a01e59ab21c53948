package dev.coffer.controlplane.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.db.DataSourceFactory;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;

/** One shard the control plane writes to: its id and its shard store. */
public class ShardConfig {
  @NotEmpty @JsonProperty private String id;

  @Valid @NotNull @JsonProperty private DataSourceFactory database;

  public String id() {
    return id;
  }

  public DataSourceFactory database() {
    return database;
  }
}
