package dev.coffer.core.api;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Body of {@code PUT /v1/vaults/{vault}/secrets/{secret}}: the value as UTF-8 text. */
public record PutSecretRequest(@JsonProperty("value") String value) {
  @Override
  public String toString() {
    return "PutSecretRequest[value=REDACTED]";
  }
}
