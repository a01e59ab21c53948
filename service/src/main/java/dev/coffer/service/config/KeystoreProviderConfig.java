package dev.coffer.service.config;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.coffer.core.crypto.KeyRef;
import dev.coffer.core.crypto.KeystoreRootKeyProvider;
import dev.coffer.core.crypto.NonceBudget;
import dev.coffer.core.crypto.RootKeyProvider;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import java.util.Arrays;

/** Root keys in a passphrase-protected keystore file. */
public class KeystoreProviderConfig extends RootKeyProviderConfig {
  @NotNull @JsonProperty private Path path;

  @NotNull @JsonProperty
  private KeystoreRootKeyProvider.Format format = KeystoreRootKeyProvider.Format.PKCS12;

  @JsonProperty private String passphrase;

  @JsonProperty private Path passphraseFile;

  @JsonIgnore
  @AssertTrue(message = "give exactly one of passphrase and passphraseFile")
  public boolean isPassphraseGiven() {
    return ConfigSecret.exactlyOne(passphrase, passphraseFile);
  }

  @Override
  public String type() {
    return "keystore";
  }

  @Override
  public String location() {
    return format + " file " + path;
  }

  @Override
  public RootKeyProvider open(NonceBudget budget) {
    char[] secret = ConfigSecret.read(passphrase, passphraseFile, "keystore passphrase");
    try {
      return KeystoreRootKeyProvider.open(path, format, secret, keyId(), budget);
    } finally {
      Arrays.fill(secret, '\0');
    }
  }

  @Override
  public KeyRef createKey() {
    char[] secret = ConfigSecret.read(passphrase, passphraseFile, "keystore passphrase");
    try {
      return KeystoreRootKeyProvider.generateKey(path, format, secret, keyId());
    } finally {
      Arrays.fill(secret, '\0');
    }
  }
}
