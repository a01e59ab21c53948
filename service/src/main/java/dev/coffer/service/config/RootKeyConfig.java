package dev.coffer.service.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.coffer.core.crypto.EnvelopeSecretCrypto;
import dev.coffer.core.crypto.LocalRootKeyProvider;
import dev.coffer.core.crypto.SecretCrypto;
import io.dropwizard.util.Duration;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;

/**
 * The root of trust that wraps vault keys: for now one local key, given in configuration as base64
 * of 32 random bytes (the key-hierarchy issue replaces this with keystore and HSM providers).
 */
public class RootKeyConfig {
  @NotEmpty @JsonProperty private String id = "local-root-1";

  @NotEmpty @JsonProperty private String key;

  @NotNull @JsonProperty private Duration vaultKeyCacheLifetime = Duration.minutes(10);

  public SecretCrypto buildCrypto() {
    return new EnvelopeSecretCrypto(
        LocalRootKeyProvider.fromBase64(id, key), vaultKeyCacheLifetime.toJavaDuration());
  }

  @Override
  public String toString() {
    return "RootKeyConfig[id=" + id + ", key=REDACTED]";
  }
}
