package dev.coffer.core.crypto;

import dev.coffer.core.error.CofferException;
import dev.coffer.core.error.ErrorCode;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.modes.GCMModeCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;

/** AES-256-GCM with a 96-bit nonce and a 128-bit tag, through Bouncy Castle's lightweight API. */
final class Aes256Gcm {
  static final int KEY_BYTES = 32;
  static final int NONCE_BYTES = 12;
  static final int TAG_BITS = 128;

  private Aes256Gcm() {}

  static byte[] encrypt(KeyParameter key, byte[] nonce, byte[] aad, byte[] plaintext) {
    GCMModeCipher cipher = GCMBlockCipher.newInstance(AESEngine.newInstance());
    cipher.init(true, new AEADParameters(key, TAG_BITS, nonce, aad));
    byte[] out = new byte[cipher.getOutputSize(plaintext.length)];
    int n = cipher.processBytes(plaintext, 0, plaintext.length, out, 0);
    try {
      cipher.doFinal(out, n);
    } catch (InvalidCipherTextException e) {
      throw new IllegalStateException("GCM encryption cannot fail on valid input", e);
    }
    return out;
  }

  static byte[] decrypt(KeyParameter key, byte[] nonce, byte[] aad, byte[] ciphertext) {
    GCMModeCipher cipher = GCMBlockCipher.newInstance(AESEngine.newInstance());
    cipher.init(false, new AEADParameters(key, TAG_BITS, nonce, aad));
    byte[] out = new byte[cipher.getOutputSize(ciphertext.length)];
    try {
      int n = cipher.processBytes(ciphertext, 0, ciphertext.length, out, 0);
      cipher.doFinal(out, n);
      return out;
    } catch (InvalidCipherTextException | RuntimeException e) {
      java.util.Arrays.fill(out, (byte) 0);
      throw new CofferException(
          ErrorCode.DECRYPTION_FAILED, "Stored data could not be decrypted.", e);
    }
  }

  static KeyParameter key(byte[] bytes) {
    if (bytes.length != KEY_BYTES) {
      throw new IllegalArgumentException("AES-256 keys have 32 bytes");
    }
    return new KeyParameter(bytes);
  }
}
