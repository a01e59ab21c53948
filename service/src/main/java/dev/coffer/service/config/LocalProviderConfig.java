package dev.coffer.service.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.coffer.core.crypto.KeyRef;
import dev.coffer.core.crypto.LocalRootKeyProvider;
import dev.coffer.core.crypto.NonceBudget;
import dev.coffer.core.crypto.RootKeyProvider;
import jakarta.validation.constraints.NotEmpty;

/**
 * A root key written in the configuration as base64 of 32 random bytes: for development only, as
 * anyone who reads the file holds the key.
 */
public class LocalProviderConfig extends RootKeyProviderConfig {
  @NotEmpty @JsonProperty private String key;

  @Override
  public String type() {
    return "local";
  }

  @Override
  public String location() {
    return "in the configuration";
  }

  @Override
  public RootKeyProvider open(NonceBudget budget) {
    return LocalRootKeyProvider.fromBase64(keyId(), key, budget);
  }

  @Override
  public KeyRef createKey() {
    throw new UnsupportedOperationException(
        "a local root key lives in the configuration: generate one with 'openssl rand -base64 32'");
  }
}
