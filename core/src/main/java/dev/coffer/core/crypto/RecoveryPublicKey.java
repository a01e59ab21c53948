package dev.coffer.core.crypto;

import dev.coffer.core.error.CofferException;
import dev.coffer.core.error.ErrorCode;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;

/**
 * The public half of the recovery key: every vault key version is also wrapped to it (RSA-OAEP with
 * SHA-256 and MGF1-SHA-256, the wrapping context as the OAEP label), so that the vault keys survive
 * the loss of every root key provider. Its private half is never stored by Coffer; it exists only
 * as custodians' shares ({@link RecoveryKeys}).
 */
public final class RecoveryPublicKey {
  /** NIST SP 800-57 part 1: 3072-bit RSA for 128-bit security, matching AES-128 at least. */
  public static final int MIN_BITS = 3072;

  private final RSAPublicKey key;
  private final KeyRef keyRef;

  private RecoveryPublicKey(RSAPublicKey key) {
    if (key.getModulus().bitLength() < MIN_BITS) {
      throw new IllegalArgumentException(
          "the recovery key must have at least " + MIN_BITS + " bits");
    }
    this.key = key;
    this.keyRef = new KeyRef(fingerprint(key.getEncoded()), 1);
  }

  static RecoveryPublicKey of(RSAPublicKey key) {
    return new RecoveryPublicKey(key);
  }

  /**
   * @param x509 the DER SubjectPublicKeyInfo, as {@link #encoded()} gives it
   */
  public static RecoveryPublicKey fromEncoded(byte[] x509) {
    try {
      return new RecoveryPublicKey(
          (RSAPublicKey)
              KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(x509)));
    } catch (GeneralSecurityException | ClassCastException e) {
      throw new IllegalArgumentException("not an RSA public key in X.509 encoding", e);
    }
  }

  public byte[] encoded() {
    return key.getEncoded();
  }

  /** The public key as a PEM block ({@code -----BEGIN PUBLIC KEY-----}), for configuration. */
  public String pem() {
    return "-----BEGIN PUBLIC KEY-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(encoded())
        + "\n-----END PUBLIC KEY-----\n";
  }

  /**
   * @throws IllegalArgumentException when the text is not one PEM public key block of an RSA key of
   *     at least {@link #MIN_BITS} bits
   */
  public static RecoveryPublicKey fromPem(String pem) {
    String body = pem.strip();
    String begin = "-----BEGIN PUBLIC KEY-----";
    String end = "-----END PUBLIC KEY-----";
    if (!body.startsWith(begin) || !body.endsWith(end)) {
      throw new IllegalArgumentException("not a PEM public key block");
    }
    String base64 = body.substring(begin.length(), body.length() - end.length());
    try {
      return fromEncoded(Base64.getMimeDecoder().decode(base64));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not a PEM public key block", e);
    }
  }

  /**
   * Identifies the key pair: {@code recovery-} and the first 16 hex digits of the SHA-256 of the
   * public key. A new recovery key is a new id rather than a new version.
   */
  public KeyRef keyRef() {
    return keyRef;
  }

  RootWrapping wrap(byte[] vaultKey, byte[] context) {
    try {
      Cipher cipher = Cipher.getInstance("RSA/ECB/OAEPPadding");
      cipher.init(Cipher.ENCRYPT_MODE, key, oaep(context));
      return new RootWrapping(keyRef, cipher.doFinal(vaultKey));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("RSA-OAEP with SHA-256 is part of every JDK", e);
    }
  }

  static OAEPParameterSpec oaep(byte[] label) {
    return new OAEPParameterSpec(
        "SHA-256", "MGF1", MGF1ParameterSpec.SHA256, new PSource.PSpecified(label));
  }

  static String fingerprint(byte[] x509) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(x509);
      return "recovery-" + HexFormat.of().formatHex(Arrays.copyOf(digest, 8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  static CofferException failed(Exception cause) {
    return new CofferException(
        ErrorCode.DECRYPTION_FAILED, "The recovery key could not unwrap a vault key.", cause);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RecoveryPublicKey r && key.equals(r.key);
  }

  @Override
  public int hashCode() {
    return key.hashCode();
  }

  @Override
  public String toString() {
    return "RecoveryPublicKey[" + keyRef.id() + ", " + key.getModulus().bitLength() + " bits]";
  }
}
