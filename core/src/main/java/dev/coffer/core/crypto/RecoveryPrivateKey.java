package dev.coffer.core.crypto;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import javax.crypto.Cipher;

/**
 * The private half of the recovery key, reassembled from custodians' shares for a restore and
 * dropped afterwards. The JDK's RSA keys hold their numbers as immutable BigIntegers, which cannot
 * be wiped; the encoded form this is built from is wiped by {@link RecoveryKeys#restore}.
 */
public final class RecoveryPrivateKey {
  private final RSAPrivateCrtKey key;
  private final RecoveryPublicKey publicKey;

  private RecoveryPrivateKey(RSAPrivateCrtKey key) {
    this.key = key;
    try {
      this.publicKey =
          RecoveryPublicKey.of(
              (RSAPublicKey)
                  KeyFactory.getInstance("RSA")
                      .generatePublic(
                          new RSAPublicKeySpec(key.getModulus(), key.getPublicExponent())));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every JDK has RSA", e);
    }
  }

  static RecoveryPrivateKey fromPkcs8(byte[] pkcs8) {
    try {
      return new RecoveryPrivateKey(
          (RSAPrivateCrtKey)
              KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(pkcs8)));
    } catch (GeneralSecurityException | ClassCastException e) {
      throw new IllegalArgumentException("the shares do not hold an RSA private key");
    }
  }

  public RecoveryPublicKey publicKey() {
    return publicKey;
  }

  /** Returns the unwrapped key; the caller wipes it after use. */
  byte[] unwrap(RootWrapping wrapping, byte[] context) {
    if (!wrapping.rootKey().equals(publicKey.keyRef())) {
      throw RecoveryPublicKey.failed(null);
    }
    try {
      Cipher cipher = Cipher.getInstance("RSA/ECB/OAEPPadding");
      cipher.init(Cipher.DECRYPT_MODE, key, RecoveryPublicKey.oaep(context));
      return cipher.doFinal(wrapping.bytes());
    } catch (GeneralSecurityException e) {
      throw RecoveryPublicKey.failed(e);
    }
  }

  @Override
  public String toString() {
    return "RecoveryPrivateKey[" + publicKey.keyRef().id() + ", REDACTED]";
  }
}
