package dev.coffer.service.config;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.coffer.core.crypto.KeyRef;
import dev.coffer.core.crypto.NonceBudget;
import dev.coffer.core.crypto.RootKeyProvider;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Pattern;

/**
 * One root key provider in the {@code rootOfTrust.providers} list, chosen by {@code type}: {@code
 * keystore} (a PKCS#12 or BCFKS file), {@code pkcs11} (an HSM) or {@code local} (a key in this
 * file, for development).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
  @JsonSubTypes.Type(value = KeystoreProviderConfig.class, name = "keystore"),
  @JsonSubTypes.Type(value = Pkcs11ProviderConfig.class, name = "pkcs11"),
  @JsonSubTypes.Type(value = LocalProviderConfig.class, name = "local")
})
public abstract class RootKeyProviderConfig {
  @NotEmpty
  @Pattern(
      regexp = "[a-z0-9][a-z0-9_-]{0,62}",
      message = "must have 1 to 63 lower-case letters, digits, '-' or '_'")
  @JsonProperty
  private String keyId;

  public String keyId() {
    return keyId;
  }

  /** The {@code type} as written in configuration. */
  @JsonIgnore
  public abstract String type();

  /** Where the key lives, for operators; never a secret. */
  @JsonIgnore
  public abstract String location();

  /**
   * Opens the provider.
   *
   * @throws dev.coffer.core.error.CofferException KEY_UNAVAILABLE when it cannot be reached
   */
  public abstract RootKeyProvider open(NonceBudget budget);

  /**
   * Creates the next version of the key (version 1 when there is none), for {@code keys-init} and
   * {@code root-rotate}.
   *
   * @throws UnsupportedOperationException when this type of provider cannot create keys
   */
  public abstract KeyRef createKey();

  @Override
  public String toString() {
    return type() + " root key '" + keyId + "' (" + location() + ")";
  }
}
