package dev.coffer.core.api;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Body of {@code POST /v1/vaults}. */
public record CreateVaultRequest(@JsonProperty("name") String name) {}
