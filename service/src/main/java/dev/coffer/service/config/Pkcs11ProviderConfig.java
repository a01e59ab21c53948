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
 * Root keys inside a PKCS#11 token: the vendor's library and the token, by its label ({@code
 * tokenLabel}, preferred: slot ids change when a token is re-initialised) or its slot id. Vendor
 * libraries may read their own environment (SoftHSM2 reads {@code SOFTHSM2_CONF}), which must be
 * set for the process.
 */
public class Pkcs11ProviderConfig extends RootKeyProviderConfig {
  @NotNull @JsonProperty private Path library;

  @JsonProperty private Long slot;

  @JsonProperty private String tokenLabel;

  @JsonProperty private String pin;

  @JsonProperty private Path pinFile;

  @JsonIgnore
  @AssertTrue(message = "give exactly one of pin and pinFile")
  public boolean isPinGiven() {
    return ConfigSecret.exactlyOne(pin, pinFile);
  }

  @JsonIgnore
  @AssertTrue(message = "give exactly one of tokenLabel and slot")
  public boolean isTokenGiven() {
    return (slot == null) != (tokenLabel == null);
  }

  @JsonIgnore
  @AssertTrue(message = "tokenLabel must have 1 to 32 bytes and no leading or trailing blanks")
  public boolean isTokenLabelWellFormed() {
    if (tokenLabel == null) {
      return true;
    }
    try {
      Pkcs11RootKeyProvider.Token.labelled(Path.of("."), tokenLabel);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  @Override
  public String type() {
    return "pkcs11";
  }

  @Override
  public String location() {
    return token().describe() + " of " + library;
  }

  private Pkcs11RootKeyProvider.Token token() {
    return tokenLabel != null
        ? Pkcs11RootKeyProvider.Token.labelled(library, tokenLabel)
        : new Pkcs11RootKeyProvider.Token(library, slot);
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
