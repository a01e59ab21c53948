package dev.coffer.core.crypto;

import dev.coffer.core.crypto.sharing.SecretShare;
import dev.coffer.core.crypto.sharing.SecretSharing;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/**
 * The recovery key ceremony. {@link #generate} makes an RSA key pair, keeps the public key and
 * splits the private key (PKCS#8) into shares, one per custodian, of which a threshold must come
 * together; the private key itself is never written anywhere. {@link #restore} reassembles it.
 */
public final class RecoveryKeys {
  private RecoveryKeys() {}

  /** The public key to configure and the shares to hand out, one to each custodian. */
  public record Generated(RecoveryPublicKey publicKey, List<SecretShare> shares) {
    @Override
    public String toString() {
      return "RecoveryKeys.Generated[" + publicKey + ", " + shares.size() + " shares]";
    }
  }

  public static Generated generate(int bits, int shares, int threshold) {
    if (bits < RecoveryPublicKey.MIN_BITS) {
      throw new IllegalArgumentException(
          "the recovery key must have at least " + RecoveryPublicKey.MIN_BITS + " bits");
    }
    KeyPair pair;
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(bits, new SecureRandom());
      pair = generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every JDK has RSA", e);
    }
    byte[] pkcs8 = pair.getPrivate().getEncoded();
    try {
      List<SecretShare> split = new SecretSharing().split(pkcs8, shares, threshold);
      return new Generated(RecoveryPublicKey.of((RSAPublicKey) pair.getPublic()), split);
    } finally {
      Arrays.fill(pkcs8, (byte) 0);
    }
  }

  /**
   * Reassembles the private key from at least the threshold number of shares.
   *
   * @throws dev.coffer.core.crypto.sharing.InvalidShareException when shares are missing, repeated,
   *     from different sets or damaged
   */
  public static RecoveryPrivateKey restore(Collection<SecretShare> shares) {
    byte[] pkcs8 = SecretSharing.combine(shares);
    try {
      return RecoveryPrivateKey.fromPkcs8(pkcs8);
    } finally {
      Arrays.fill(pkcs8, (byte) 0);
    }
  }
}
