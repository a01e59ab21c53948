package dev.coffer.core.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;

import dev.coffer.core.error.CofferException;
import dev.coffer.core.error.ErrorCode;
import dev.coffer.core.testing.Generators;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * Known answers from the GCM specification (McGrew and Viega, "The Galois/Counter Mode of
 * Operation", test cases 13, 14 and 16: AES-256 with a 96-bit IV), and a cross-check of Bouncy
 * Castle against the JDK's own AES/GCM for random inputs.
 */
class Aes256GcmTest {
  private static final HexFormat HEX = HexFormat.of();

  private static final byte[] TC16_KEY =
      hex("feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308");
  private static final byte[] TC16_IV = hex("cafebabefacedbaddecaf888");
  private static final byte[] TC16_AAD = hex("feedfacedeadbeeffeedfacedeadbeefabaddad2");
  private static final byte[] TC16_PLAINTEXT =
      hex(
          "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
              + "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39");
  private static final byte[] TC16_CIPHERTEXT =
      hex(
          "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
              + "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662");
  private static final byte[] TC16_TAG = hex("76fc6ece0f4e1768cddf8853bb2d551b");

  @Test
  void testCase16EncryptsToThePublishedCiphertextAndTag() {
    byte[] out =
        Aes256Gcm.encrypt(Aes256Gcm.key(TC16_KEY.clone()), TC16_IV, TC16_AAD, TC16_PLAINTEXT);

    assertThat(Arrays.copyOf(out, TC16_CIPHERTEXT.length)).isEqualTo(TC16_CIPHERTEXT);
    assertThat(Arrays.copyOfRange(out, TC16_CIPHERTEXT.length, out.length)).isEqualTo(TC16_TAG);
  }

  @Test
  void testCase16Decrypts() {
    byte[] sealed = concat(TC16_CIPHERTEXT, TC16_TAG);

    assertThat(Aes256Gcm.decrypt(Aes256Gcm.key(TC16_KEY.clone()), TC16_IV, TC16_AAD, sealed))
        .isEqualTo(TC16_PLAINTEXT);
  }

  @Test
  void testCase13EmptyPlaintextGivesThePublishedTag() {
    byte[] out =
        Aes256Gcm.encrypt(Aes256Gcm.key(new byte[32]), new byte[12], new byte[0], new byte[0]);

    assertThat(out).isEqualTo(hex("530f8afbc74536b9a963b4f1c4cb738b"));
  }

  @Test
  void testCase14OneZeroBlock() {
    byte[] out =
        Aes256Gcm.encrypt(Aes256Gcm.key(new byte[32]), new byte[12], new byte[0], new byte[16]);

    assertThat(out)
        .isEqualTo(hex("cea7403d4d606b6e074ec5d3baf39d18" + "d0d1c8a799996bf0265b98b5d48ab919"));
  }

  @Test
  void theVectorsAgreeWithTheJdk() throws Exception {
    assertThat(jdkEncrypt(TC16_KEY, TC16_IV, TC16_AAD, TC16_PLAINTEXT))
        .isEqualTo(concat(TC16_CIPHERTEXT, TC16_TAG));
  }

  @Test
  void everySingleBitFlipOfTheTestCase16OutputIsRejected() {
    byte[] sealed = concat(TC16_CIPHERTEXT, TC16_TAG);
    for (int bit = 0; bit < sealed.length * 8; bit++) {
      byte[] tampered = sealed.clone();
      tampered[bit / 8] ^= (byte) (1 << (bit % 8));
      assertDecryptionFails(TC16_KEY, TC16_IV, TC16_AAD, tampered);
    }
  }

  @Test
  void wrongKeyNonceOrAadIsRejected() {
    byte[] sealed = concat(TC16_CIPHERTEXT, TC16_TAG);
    byte[] otherKey = TC16_KEY.clone();
    otherKey[31] ^= 1;
    byte[] otherIv = TC16_IV.clone();
    otherIv[0] ^= (byte) 0x80;
    byte[] otherAad = TC16_AAD.clone();
    otherAad[19] ^= 1;

    assertDecryptionFails(otherKey, TC16_IV, TC16_AAD, sealed);
    assertDecryptionFails(TC16_KEY, otherIv, TC16_AAD, sealed);
    assertDecryptionFails(TC16_KEY, TC16_IV, otherAad, sealed);
    assertDecryptionFails(TC16_KEY, TC16_IV, new byte[0], sealed);
    assertDecryptionFails(TC16_KEY, TC16_IV, TC16_AAD, Arrays.copyOf(sealed, sealed.length - 1));
    assertDecryptionFails(TC16_KEY, TC16_IV, TC16_AAD, Arrays.copyOf(TC16_TAG, 15));
    assertDecryptionFails(TC16_KEY, TC16_IV, TC16_AAD, new byte[0]);
  }

  @Test
  void keysHave32Bytes() {
    for (int length : new int[] {0, 16, 24, 31, 33}) {
      assertThatThrownBy(() -> Aes256Gcm.key(new byte[length]))
          .isInstanceOf(IllegalArgumentException.class);
    }
    assertThat(Aes256Gcm.key(new byte[32]).getKeyLength()).isEqualTo(32);
  }

  @Test
  void bouncyCastleAgreesWithTheJdk() {
    qt().withExamples(200)
        .forAll(
            Generators.bytes(32, 32),
            Generators.bytes(12, 12),
            Generators.bytes(0, 64),
            Generators.bytes(0, 600))
        .checkAssert(Aes256GcmTest::bouncyCastleAgreesWithTheJdk);
  }

  private static void bouncyCastleAgreesWithTheJdk(
      byte[] key, byte[] nonce, byte[] aad, byte[] plaintext) {
    byte[] expected = jdkEncrypt(key, nonce, aad, plaintext);

    byte[] actual = Aes256Gcm.encrypt(Aes256Gcm.key(key.clone()), nonce, aad, plaintext);

    assertThat(actual).isEqualTo(expected);
    assertThat(Aes256Gcm.decrypt(Aes256Gcm.key(key.clone()), nonce, aad, expected))
        .isEqualTo(plaintext);
  }

  private static byte[] jdkEncrypt(byte[] key, byte[] nonce, byte[] aad, byte[] plaintext) {
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(
          Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
      cipher.updateAAD(aad);
      return cipher.doFinal(plaintext);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void assertDecryptionFails(byte[] key, byte[] iv, byte[] aad, byte[] sealed) {
    assertThatThrownBy(() -> Aes256Gcm.decrypt(Aes256Gcm.key(key.clone()), iv, aad, sealed))
        .isInstanceOfSatisfying(
            CofferException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.DECRYPTION_FAILED));
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static byte[] hex(String text) {
    return HEX.parseHex(text);
  }
}
