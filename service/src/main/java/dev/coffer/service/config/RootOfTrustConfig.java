package dev.coffer.service.config;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.coffer.core.crypto.NonceBudget;
import dev.coffer.core.crypto.RecoveryPublicKey;
import io.dropwizard.util.Duration;
import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code rootOfTrust} block: the root key providers that each wrap every vault key (used
 * active-active), the recovery public key every vault key is also wrapped to, and how long
 * unwrapped vault keys stay in memory.
 */
public class RootOfTrustConfig {
  @Valid @NotEmpty @JsonProperty private List<RootKeyProviderConfig> providers;

  /** A PEM file written by {@code recovery-init}; vault keys are wrapped to it when given. */
  @JsonProperty private Path recoveryPublicKey;

  /** Fewer configured providers than this is a configuration error: redundancy is the point. */
  @Min(1)
  @JsonProperty
  private int minimumProviders = 2;

  @NotNull @JsonProperty private Duration vaultKeyCacheLifetime = Duration.minutes(10);

  /**
   * AES-GCM encryptions under one key (random 96-bit nonces) after which it is due for rotation:
   * vault keys are then rotated automatically. At most 2^31, half the NIST limit of 2^32, so that
   * rotation has room to happen.
   */
  @Min(1)
  @Max(NonceBudget.MAX_ROTATION_THRESHOLD)
  @JsonProperty
  private long encryptionsBeforeRotation = NonceBudget.DEFAULT_ROTATION_THRESHOLD;

  @JsonIgnore
  @AssertTrue(message = "lists fewer root key providers than minimumProviders")
  public boolean isProvidersEnough() {
    return providers == null || providers.size() >= minimumProviders;
  }

  @JsonIgnore
  @AssertTrue(message = "names a key id twice: each provider needs its own keyId")
  public boolean isKeyIdsDistinct() {
    if (providers == null) {
      return true;
    }
    Set<String> ids = new HashSet<>();
    return providers.stream().allMatch(p -> p.keyId() == null || ids.add(p.keyId()));
  }

  public List<RootKeyProviderConfig> providers() {
    return providers;
  }

  public Optional<Path> recoveryPublicKeyFile() {
    return Optional.ofNullable(recoveryPublicKey);
  }

  /**
   * @throws IllegalStateException naming the file when it cannot be read or holds no RSA public key
   *     of at least 3072 bits
   */
  public Optional<RecoveryPublicKey> recoveryPublicKey() {
    if (recoveryPublicKey == null) {
      return Optional.empty();
    }
    String pem;
    try {
      pem = Files.readString(recoveryPublicKey, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "rootOfTrust.recoveryPublicKey: " + recoveryPublicKey + " cannot be read", e);
    }
    try {
      return Optional.of(RecoveryPublicKey.fromPem(pem));
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(
          "rootOfTrust.recoveryPublicKey: "
              + recoveryPublicKey
              + " is not usable: "
              + e.getMessage(),
          e);
    }
  }

  public long encryptionsBeforeRotation() {
    return encryptionsBeforeRotation;
  }

  public java.time.Duration vaultKeyCacheLifetime() {
    return vaultKeyCacheLifetime.toJavaDuration();
  }

  @Override
  public String toString() {
    return "RootOfTrustConfig[" + providers + ", recovery=" + recoveryPublicKey + "]";
  }
}
