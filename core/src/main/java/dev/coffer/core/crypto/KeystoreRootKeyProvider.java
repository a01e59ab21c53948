package dev.coffer.core.crypto;

import dev.coffer.core.error.CofferException;
import dev.coffer.core.error.ErrorCode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.util.Collections;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * Root keys kept in a passphrase-protected keystore file (PKCS#12 or Bouncy Castle's BCFKS), one
 * AES-256 secret key entry per version under the alias {@code <key id>.v<version>}. The keys are
 * read once when the provider opens and held in memory until it closes.
 */
public final class KeystoreRootKeyProvider extends GcmRootKeyProvider {
  /** Key ids usable as keystore aliases, which PKCS#12 stores in lower case. */
  static final Pattern KEY_ID = Pattern.compile("[a-z0-9](?:[a-z0-9_-]{0,62})");

  private static final Pattern ALIAS = Pattern.compile("(.+)\\.v([0-9]{1,9})");

  /** The keystore formats that hold secret keys under a passphrase. */
  public enum Format {
    PKCS12,
    BCFKS;

    KeyStore newKeyStore() throws GeneralSecurityException {
      return this == PKCS12
          ? KeyStore.getInstance("PKCS12")
          : KeyStore.getInstance("BCFKS", BouncyCastle.PROVIDER);
    }
  }

  /** Loaded on first use: constructing the provider registers hundreds of algorithms. */
  private static final class BouncyCastle {
    static final BouncyCastleProvider PROVIDER = new BouncyCastleProvider();
  }

  private final Path file;

  private KeystoreRootKeyProvider(
      Path file, String keyId, Map<Integer, GcmKey> versions, NonceBudget budget) {
    super(keyId, versions, budget);
    this.file = file;
  }

  /**
   * Opens the keystore and reads every version of {@code keyId}.
   *
   * @throws CofferException KEY_UNAVAILABLE when the file cannot be read, the passphrase is wrong
   *     or the file holds no version of the key
   */
  public static KeystoreRootKeyProvider open(
      Path file, Format format, char[] passphrase, String keyId, NonceBudget budget) {
    requireKeyId(keyId);
    KeyStore store = load(file, format, passphrase);
    Map<Integer, GcmKey> versions = new HashMap<>();
    try {
      for (String alias : Collections.list(store.aliases())) {
        Matcher m = ALIAS.matcher(alias.toLowerCase(Locale.ROOT));
        if (!m.matches() || !m.group(1).equals(keyId) || !store.isKeyEntry(alias)) {
          continue;
        }
        Key key = store.getKey(alias, passphrase);
        if (!(key instanceof SecretKey) || !"AES".equalsIgnoreCase(key.getAlgorithm())) {
          throw unavailable(file, "entry " + alias + " is not an AES secret key", null);
        }
        byte[] bytes = key.getEncoded();
        try {
          if (bytes == null || bytes.length != Aes256Gcm.KEY_BYTES) {
            throw unavailable(file, "entry " + alias + " is not an AES-256 key", null);
          }
          versions.put(Integer.parseInt(m.group(2)), new SoftwareGcmKey(bytes));
        } finally {
          wipe(bytes);
        }
      }
    } catch (GeneralSecurityException e) {
      versions.values().forEach(GcmKey::destroy);
      throw unavailable(file, "a key entry could not be read", e);
    }
    if (versions.isEmpty()) {
      throw unavailable(file, "it holds no version of root key '" + keyId + "'", null);
    }
    return new KeystoreRootKeyProvider(file, keyId, versions, budget);
  }

  /**
   * Generates the next version of {@code keyId} (version 1 in a new file) and stores it, creating
   * the keystore owner-readable only when it does not exist. The file is replaced atomically.
   *
   * @return the version created
   */
  public static KeyRef generateKey(Path file, Format format, char[] passphrase, String keyId) {
    requireKeyId(keyId);
    try {
      KeyStore store;
      if (Files.exists(file)) {
        store = load(file, format, passphrase);
      } else {
        store = format.newKeyStore();
        store.load(null, passphrase);
      }
      int version = 0;
      for (String alias : Collections.list(store.aliases())) {
        Matcher m = ALIAS.matcher(alias.toLowerCase(Locale.ROOT));
        if (m.matches() && m.group(1).equals(keyId)) {
          version = Math.max(version, Integer.parseInt(m.group(2)));
        }
      }
      version++;
      byte[] bytes = new byte[Aes256Gcm.KEY_BYTES];
      new SecureRandom().nextBytes(bytes);
      try {
        store.setEntry(
            keyId + ".v" + version,
            new KeyStore.SecretKeyEntry(new SecretKeySpec(bytes, "AES")),
            new KeyStore.PasswordProtection(passphrase));
      } finally {
        wipe(bytes);
      }
      Path parent = file.toAbsolutePath().getParent();
      Files.createDirectories(parent);
      Path temporary =
          Files.createTempFile(
              parent,
              ".keystore",
              ".tmp",
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      try (OutputStream out = Files.newOutputStream(temporary)) {
        store.store(out, passphrase);
      }
      Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
      return new KeyRef(keyId, version);
    } catch (IOException | GeneralSecurityException e) {
      throw unavailable(file, "it could not be written", e);
    }
  }

  private static KeyStore load(Path file, Format format, char[] passphrase) {
    try (InputStream in = Files.newInputStream(file)) {
      KeyStore store = format.newKeyStore();
      store.load(in, passphrase);
      return store;
    } catch (java.nio.file.NoSuchFileException e) {
      throw unavailable(file, "the file does not exist", e);
    } catch (IOException | GeneralSecurityException e) {
      // Both keystore types report a wrong passphrase as an IOException.
      throw unavailable(file, "the passphrase is wrong or the file is damaged", e);
    }
  }

  private static void requireKeyId(String keyId) {
    if (keyId == null || !KEY_ID.matcher(keyId).matches()) {
      throw new IllegalArgumentException(
          "keystore root key ids have 1 to 63 lower-case letters, digits, '-' or '_'");
    }
  }

  private static CofferException unavailable(Path file, String reason, Exception cause) {
    String message = "Keystore " + file.getFileName() + " cannot be used: " + reason + ".";
    return cause == null
        ? new CofferException(ErrorCode.KEY_UNAVAILABLE, message)
        : new CofferException(ErrorCode.KEY_UNAVAILABLE, message, cause);
  }

  @Override
  public String toString() {
    return "KeystoreRootKeyProvider[" + keyId() + ", " + file.getFileName() + "]";
  }
}
