package dev.coffer.core.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The answer to a write. {@code replicationToken} names the write's place in its shard's log;
 * present it to a data-plane host to read your own write. {@code stages} is the secret's stage map
 * after a put or a promotion.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SecretWriteView(
    @JsonProperty("vault") String vault,
    @JsonProperty("name") String name,
    @JsonProperty("version") Long version,
    @JsonProperty("state") String state,
    @JsonProperty("stages") StagesView stages,
    @JsonProperty("deleted") Boolean deleted,
    @JsonProperty("replicationToken") String replicationToken) {}
