package dev.coffer.core.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class SoftwareGcmKeyTest {

  /** After destroy the key is all zeros: what it encrypts matches the zero key's output. */
  @Test
  void destroyWipesTheKey() {
    byte[] bytes = new byte[32];
    new Random(1).nextBytes(bytes);
    SoftwareGcmKey key = new SoftwareGcmKey(bytes);
    SoftwareGcmKey zero = new SoftwareGcmKey(new byte[32]);
    byte[] nonce = new byte[12];
    byte[] before = key.encrypt(nonce, new byte[0], new byte[16]);

    key.destroy();

    byte[] after = key.encrypt(nonce, new byte[0], new byte[16]);
    assertThat(after).isNotEqualTo(before);
    assertThat(after).isEqualTo(zero.encrypt(nonce, new byte[0], new byte[16]));
    assertThat(key.toString()).doesNotContainPattern("[0-9a-f]{8}");
  }

  @Test
  void theCallersArrayIsCopied() {
    byte[] bytes = new byte[32];
    new Random(2).nextBytes(bytes);
    SoftwareGcmKey key = new SoftwareGcmKey(bytes);
    byte[] expected = key.encrypt(new byte[12], new byte[0], new byte[16]);

    java.util.Arrays.fill(bytes, (byte) 0);

    assertThat(key.encrypt(new byte[12], new byte[0], new byte[16])).isEqualTo(expected);
  }
}
