package dev.coffer.core.crypto;

import dev.coffer.core.error.CofferException;
import dev.coffer.core.error.ErrorCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.Provider;
import java.security.Security;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;

/**
 * Root keys inside a PKCS#11 token (an HSM, or SoftHSM2 in tests), reached through the JDK's
 * SunPKCS11 provider. Each version is an AES-256 token object labelled {@code <key id>.v<version>},
 * sensitive and non-extractable: wrapping and unwrapping run inside the token (CKM_AES_GCM), and
 * the root key never enters this process.
 */
public final class Pkcs11RootKeyProvider extends GcmRootKeyProvider {
  private static final Pattern LABEL = Pattern.compile("(.+)\\.v([0-9]{1,9})");

  /**
   * Where the token is: the vendor's PKCS#11 library and either the token's label or its slot id.
   * Operators name tokens by label; slot ids are assigned by the library and change when a token is
   * re-initialised (SoftHSM2 derives them from the token's serial), so a label is resolved to its
   * slot every time the token is opened.
   */
  public record Token(Path library, OptionalLong slot, Optional<String> label) {
    public Token {
      Objects.requireNonNull(library, "library");
      if (slot.isPresent() == label.isPresent()) {
        throw new IllegalArgumentException("a token is chosen by exactly one of slot and label");
      }
      label.ifPresent(Token::requireLabel);
    }

    public Token(Path library, long slot) {
      this(library, OptionalLong.of(slot), Optional.empty());
    }

    public static Token labelled(Path library, String label) {
      return new Token(library, OptionalLong.empty(), Optional.of(label));
    }

    /** CK_TOKEN_INFO holds a label of up to 32 bytes, padded with blanks. */
    private static void requireLabel(String label) {
      int bytes = label.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
      if (label.isBlank() || bytes > 32 || !label.equals(label.strip())) {
        throw new IllegalArgumentException(
            "a PKCS#11 token label has 1 to 32 bytes and no leading or trailing blanks");
      }
    }

    /** The token as operators named it, for messages. */
    public String describe() {
      return label.map(l -> "token '" + l + "'").orElseGet(() -> "slot " + slot.getAsLong());
    }

    /**
     * The slot id to give SunPKCS11, asking the library for the slot of a labelled token.
     *
     * @throws CofferException KEY_UNAVAILABLE when no single token has the label
     */
    long slotId() {
      if (slot.isPresent()) {
        return slot.getAsLong();
      }
      try {
        return Pkcs11TokenLabels.slotOf(library, label.orElseThrow());
      } catch (IllegalStateException e) {
        throw unavailable(e.getMessage(), e);
      }
    }

    /**
     * SunPKCS11 configuration. Keys this provider generates are sensitive and non-extractable; they
     * become token objects when stored under their label.
     */
    String sunPkcs11Config(String name) {
      return "--name="
          + name
          + "\nlibrary="
          + library.toAbsolutePath()
          + "\nslot="
          + slotId()
          + "\nattributes(generate, CKO_SECRET_KEY, CKK_AES) = {\n"
          + "  CKA_SENSITIVE = true\n"
          + "  CKA_EXTRACTABLE = false\n"
          + "}\n";
    }
  }

  private final Provider provider;
  private final KeyStore store;
  private final String label;

  private Pkcs11RootKeyProvider(
      String keyId,
      Map<Integer, GcmKey> versions,
      NonceBudget budget,
      Provider provider,
      KeyStore store) {
    super(keyId, versions, budget);
    this.provider = provider;
    this.store = store;
    this.label = keyId + ".v" + keyVersion();
  }

  /**
   * Logs in to the token and finds every version of {@code keyId}.
   *
   * @throws CofferException KEY_UNAVAILABLE when the library, the token or the key cannot be
   *     reached, or the PIN is wrong
   */
  public static Pkcs11RootKeyProvider open(
      Token token, char[] pin, String keyId, NonceBudget budget) {
    requireKeyId(keyId);
    Provider provider = provider(token, keyId);
    KeyStore store = login(provider, pin);
    Map<Integer, GcmKey> versions = new HashMap<>();
    try {
      for (String alias : Collections.list(store.aliases())) {
        Matcher m = LABEL.matcher(alias);
        if (!m.matches() || !m.group(1).equals(keyId)) {
          continue;
        }
        Key key = store.getKey(alias, null);
        if (!(key instanceof SecretKey secret) || !"AES".equalsIgnoreCase(key.getAlgorithm())) {
          throw unavailable("token object " + alias + " is not an AES secret key", null);
        }
        versions.put(Integer.parseInt(m.group(2)), new JcaGcmKey(secret, provider, alias));
      }
    } catch (GeneralSecurityException | RuntimeException e) {
      throw unavailable("its keys could not be listed", e);
    }
    if (versions.isEmpty()) {
      throw unavailable("it holds no version of root key '" + keyId + "'", null);
    }
    return new Pkcs11RootKeyProvider(keyId, versions, budget, provider, store);
  }

  /**
   * Generates the next version of {@code keyId} inside the token, sensitive and non-extractable.
   *
   * @return the version created
   */
  public static KeyRef generateKey(Token token, char[] pin, String keyId) {
    requireKeyId(keyId);
    Provider provider = provider(token, keyId);
    KeyStore store = login(provider, pin);
    try {
      int version = 0;
      for (String alias : Collections.list(store.aliases())) {
        Matcher m = LABEL.matcher(alias);
        if (m.matches() && m.group(1).equals(keyId)) {
          version = Math.max(version, Integer.parseInt(m.group(2)));
        }
      }
      version++;
      KeyGenerator generator = KeyGenerator.getInstance("AES", provider);
      generator.init(Aes256Gcm.KEY_BYTES * 8);
      // A session object until stored: storing copies it to the token under its label.
      store.setEntry(
          keyId + ".v" + version, new KeyStore.SecretKeyEntry(generator.generateKey()), null);
      return new KeyRef(keyId, version);
    } catch (GeneralSecurityException | RuntimeException e) {
      throw unavailable("a key could not be generated", e);
    }
  }

  /** Asks the token whether the current key is still there: a round trip, no encryption. */
  @Override
  public boolean isAvailable() {
    if (!super.isAvailable()) {
      return false;
    }
    try {
      return store.containsAlias(label);
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }

  /**
   * Stops using the token without logging out: a PKCS#11 login belongs to the whole process, so
   * logging out would also cut off any other provider open on the same token.
   */
  @Override
  public void close() {
    super.close();
  }

  private static Provider provider(Token token, String keyId) {
    if (!Files.isRegularFile(token.library())) {
      throw unavailable("the PKCS#11 library " + token.library() + " does not exist", null);
    }
    Provider base = Security.getProvider("SunPKCS11");
    if (base == null) {
      throw unavailable("this JDK has no SunPKCS11 provider", null);
    }
    String config = token.sunPkcs11Config("coffer-" + keyId);
    try {
      return base.configure(config);
    } catch (RuntimeException e) {
      throw unavailable(token.describe() + " could not be reached", e);
    }
  }

  private static KeyStore login(Provider provider, char[] pin) {
    try {
      KeyStore store = KeyStore.getInstance("PKCS11", provider);
      store.load(null, pin);
      return store;
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      throw unavailable("the login failed (is the PIN right?)", e);
    }
  }

  private static void requireKeyId(String keyId) {
    if (keyId == null || !KeystoreRootKeyProvider.KEY_ID.matcher(keyId).matches()) {
      throw new IllegalArgumentException(
          "PKCS#11 root key ids have 1 to 63 lower-case letters, digits, '-' or '_'");
    }
  }

  private static CofferException unavailable(String reason, Exception cause) {
    String message = "The PKCS#11 token cannot be used: " + reason + ".";
    return cause == null
        ? new CofferException(ErrorCode.KEY_UNAVAILABLE, message)
        : new CofferException(ErrorCode.KEY_UNAVAILABLE, message, cause);
  }

  @Override
  public String toString() {
    return "Pkcs11RootKeyProvider[" + keyId() + ", " + provider.getName() + "]";
  }
}
