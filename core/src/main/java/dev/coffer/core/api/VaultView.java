package dev.coffer.core.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** A vault as the API shows it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record VaultView(
    @JsonProperty("name") String name,
    @JsonProperty("shard") String shard,
    @JsonProperty("createdAt") String createdAt,
    @JsonProperty("replicationToken") String replicationToken) {}
