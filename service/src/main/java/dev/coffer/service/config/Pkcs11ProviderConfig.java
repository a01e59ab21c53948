package dev.coffer.service.config;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.coffer.core.crypto.KeyRef;
import dev.coffer.core.crypto.NonceBudget;
import dev.coffer.core.crypto.Pkcs11RootKeyProvider;
import dev.coffer.core.crypto.RootKeyProvider;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Root keys inside a PKCS#11 token: the vendor's library and the token's slot id. Vendor libraries
 * may read their own environment (SoftHSM2 reads {@code SOFTHSM2_CONF}), which must be set for the
 * process.
 */
public class Pkcs11ProviderConfig extends RootKeyProviderConfig {
  @NotNull @JsonProperty private Path library;

  @NotNull @JsonProperty private Long slot;

  @JsonProperty private String pin;

  @JsonProperty private Path pinFile;

  @JsonIgnore
  @AssertTrue(message = "give exactly one of pin and pinFile")
  public boolean isPinGiven() {
    return ConfigSecret.exactlyOne(pin, pinFile);
  }

  @Override
  public String type() {
    return "pkcs11";
  }

  @Override
  public String location() {
    return "slot " + slot + " of " + library;
  }

  private Pkcs11RootKeyProvider.Token token() {
    return new Pkcs11RootKeyProvider.Token(library, slot);
  }

  @Override
  public RootKeyProvider open(NonceBudget budget) {
    char[] secret = ConfigSecret.read(pin, pinFile, "PKCS#11 PIN");
    try {
      return Pkcs11RootKeyProvider.open(token(), secret, keyId(), budget);
    } finally {
      Arrays.fill(secret, '\0');
    }
  }

  @Override
  public KeyRef createKey() {
    char[] secret = ConfigSecret.read(pin, pinFile, "PKCS#11 PIN");
    try {
      return Pkcs11RootKeyProvider.generateKey(token(), secret, keyId());
    } finally {
      Arrays.fill(secret, '\0');
    }
  }
}
