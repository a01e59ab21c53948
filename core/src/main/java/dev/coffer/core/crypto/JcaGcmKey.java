package dev.coffer.core.crypto;

import dev.coffer.core.error.CofferException;
import dev.coffer.core.error.ErrorCode;
import java.security.GeneralSecurityException;
import java.security.Provider;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * A key behind a JCA provider, such as a non-extractable key inside a PKCS#11 token: the key never
 * enters this process, only the data to encrypt or decrypt does.
 */
final class JcaGcmKey implements GcmKey {
  private final SecretKey key;
  private final Provider provider;
  private final String description;

  JcaGcmKey(SecretKey key, Provider provider, String description) {
    this.key = key;
    this.provider = provider;
    this.description = description;
  }

  @Override
  public byte[] encrypt(byte[] nonce, byte[] aad, byte[] plaintext) {
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding", provider);
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(Aes256Gcm.TAG_BITS, nonce));
      cipher.updateAAD(aad);
      return cipher.doFinal(plaintext);
    } catch (GeneralSecurityException | RuntimeException e) {
      throw unavailable(e);
    }
  }

  @Override
  public byte[] decrypt(byte[] nonce, byte[] aad, byte[] ciphertext) {
    Cipher cipher;
    try {
      cipher = Cipher.getInstance("AES/GCM/NoPadding", provider);
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(Aes256Gcm.TAG_BITS, nonce));
      cipher.updateAAD(aad);
    } catch (GeneralSecurityException | RuntimeException e) {
      throw unavailable(e);
    }
    try {
      return cipher.doFinal(ciphertext);
    } catch (AEADBadTagException e) {
      throw new CofferException(
          ErrorCode.DECRYPTION_FAILED, "Stored data could not be decrypted.", e);
    } catch (GeneralSecurityException | RuntimeException e) {
      throw unavailable(e);
    }
  }

  private CofferException unavailable(Exception e) {
    return new CofferException(
        ErrorCode.KEY_UNAVAILABLE, "Root key " + description + " could not be used.", e);
  }

  @Override
  public void destroy() {
    // Held by the provider (an HSM, a keystore provider); nothing of it lives in this object.
  }

  @Override
  public String toString() {
    return "JcaGcmKey[" + description + "]";
  }
}
