package dev.coffer.core.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** Body of {@code GET /v1/vaults}; {@code nextAfter} is set when there may be more. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record VaultListView(
    @JsonProperty("vaults") List<VaultView> vaults, @JsonProperty("nextAfter") String nextAfter) {}
