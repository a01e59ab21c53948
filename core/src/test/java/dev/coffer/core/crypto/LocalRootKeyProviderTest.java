package dev.coffer.core.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.core.error.CofferException;
import dev.coffer.core.error.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LocalRootKeyProviderTest {
  private static final byte[] CONTEXT =
      "coffer/v1/vault-key/payments".getBytes(StandardCharsets.UTF_8);

  private final String base64Key = LocalRootKeyProvider.generateBase64Key();
  private final LocalRootKeyProvider root = LocalRootKeyProvider.fromBase64("root-1", base64Key);

  @ParameterizedTest
  @ValueSource(
      strings = {
        "zq7x-not!base64-zq7x",
        "zq7x====zq7x",
        "zq7xzq7xzq7xzq7xzq7xzq7xzq7xzq7xzq7xzq7xzq7x====", // base64 alphabet, bad padding
        "zq7x_zq7x-zq7x_zq7x-zq7x_zq7x-zq7x_zq7x-zq7x_=" // URL-safe alphabet
      })
  void rejectsKeysThatAreNotBase64WithoutEchoingThem(String key) {
    assertThatThrownBy(() -> LocalRootKeyProvider.fromBase64("root-1", key))
        .isInstanceOf(IllegalArgumentException.class)
        .satisfies(e -> assertThat(e.getMessage()).contains("base64").doesNotContain("zq7x"))
        .satisfies(e -> assertThat(e.getCause()).isNull());
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 16, 24, 31, 33, 64})
  void rejectsKeysOfTheWrongLengthWithoutEchoingThem(int length) {
    byte[] bytes = new byte[length];
    new Random(length).nextBytes(bytes);
    String key = Base64.getEncoder().encodeToString(bytes);

    assertThatThrownBy(() -> LocalRootKeyProvider.fromBase64("root-1", key))
        .isInstanceOf(IllegalArgumentException.class)
        .satisfies(e -> assertThat(e.getMessage()).contains("32 bytes"))
        .satisfies(
            e -> {
              if (!key.isEmpty()) {
                assertThat(e.getMessage()).doesNotContain(key).doesNotContain(key.substring(0, 4));
              }
            });
  }

  @Test
  void rejectsAMissingKey() {
    assertThatThrownBy(() -> LocalRootKeyProvider.fromBase64("root-1", null))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void acceptsAKeyWithSurroundingWhitespace() {
    // As read from a file or an environment variable with a trailing newline.
    LocalRootKeyProvider padded = LocalRootKeyProvider.fromBase64("root-1", " " + base64Key + "\n");
    byte[] vaultKey = bytes(32, 1);

    assertThat(root.unwrap(padded.wrap(vaultKey, CONTEXT), CONTEXT)).isEqualTo(vaultKey);
  }

  @Test
  void unwrapInvertsWrap() {
    byte[] vaultKey = bytes(32, 2);

    byte[] wrapped = root.wrap(vaultKey.clone(), CONTEXT);

    assertThat(root.unwrap(wrapped, CONTEXT)).isEqualTo(vaultKey);
    assertThat(Envelope.decode(wrapped).keyId()).isEqualTo("root-1");
    assertThat(HexFormat.of().formatHex(wrapped))
        .doesNotContain(HexFormat.of().formatHex(vaultKey));
  }

  @Test
  void wrappingTwiceGivesDifferentBytes() {
    byte[] vaultKey = bytes(32, 3);

    byte[] first = root.wrap(vaultKey, CONTEXT);
    byte[] second = root.wrap(vaultKey, CONTEXT);

    assertThat(first).isNotEqualTo(second);
    assertThat(Envelope.decode(first).nonce()).isNotEqualTo(Envelope.decode(second).nonce());
  }

  @Test
  void aWrongContextFails() {
    byte[] wrapped = root.wrap(bytes(32, 4), CONTEXT);

    assertDecryptionFails(
        () -> root.unwrap(wrapped, "coffer/v1/vault-key/payment".getBytes(StandardCharsets.UTF_8)));
    assertDecryptionFails(() -> root.unwrap(wrapped, new byte[0]));
  }

  @Test
  void anEnvelopeFromAnotherKeyIdFails() {
    LocalRootKeyProvider other =
        LocalRootKeyProvider.fromBase64("root-2", LocalRootKeyProvider.generateBase64Key());
    byte[] wrapped = other.wrap(bytes(32, 5), CONTEXT);

    CofferException e = assertDecryptionFails(() -> root.unwrap(wrapped, CONTEXT));
    assertThat(e.getMessage()).doesNotContain(base64Key);
  }

  @Test
  void anEnvelopeFromTheSameKeyIdButAnotherKeyFails() {
    String otherKey = LocalRootKeyProvider.generateBase64Key();
    LocalRootKeyProvider other = LocalRootKeyProvider.fromBase64("root-1", otherKey);
    byte[] wrapped = other.wrap(bytes(32, 6), CONTEXT);

    CofferException e = assertDecryptionFails(() -> root.unwrap(wrapped, CONTEXT));
    assertThat(e.getMessage()).doesNotContain(base64Key).doesNotContain(otherKey);
  }

  @Test
  void anEnvelopeWithAnotherKeyVersionFails() {
    Envelope wrapped = Envelope.decode(root.wrap(bytes(32, 7), CONTEXT));
    byte[] otherVersion =
        new Envelope(wrapped.keyId(), 2, wrapped.nonce(), wrapped.ciphertext()).encode();

    assertDecryptionFails(() -> root.unwrap(otherVersion, CONTEXT));
  }

  @Test
  void everySingleBitFlipOfAWrappedKeyFails() {
    byte[] wrapped = root.wrap(bytes(32, 8), CONTEXT);
    for (int bit = 0; bit < wrapped.length * 8; bit++) {
      byte[] tampered = wrapped.clone();
      tampered[bit / 8] ^= (byte) (1 << (bit % 8));
      assertDecryptionFails(() -> root.unwrap(tampered, CONTEXT));
    }
  }

  @Test
  void corruptBytesFail() {
    assertDecryptionFails(() -> root.unwrap(new byte[0], CONTEXT));
    assertDecryptionFails(() -> root.unwrap(bytes(80, 9), CONTEXT));
  }

  @Test
  void toStringShowsTheKeyIdAndNoKeyMaterial() {
    String text = root.toString();

    assertThat(text).contains("root-1").doesNotContain(base64Key);
    assertThat(text).doesNotContain(base64Key.substring(0, 8));
    assertThat(root.keyId()).isEqualTo("root-1");
  }

  @Test
  void generatedKeysAre32RandomBytes() {
    String first = LocalRootKeyProvider.generateBase64Key();
    String second = LocalRootKeyProvider.generateBase64Key();

    assertThat(Base64.getDecoder().decode(first)).hasSize(32);
    assertThat(Base64.getDecoder().decode(second)).hasSize(32);
    assertThat(first).isNotEqualTo(second);
    assertThat(Base64.getDecoder().decode(first)).isNotEqualTo(new byte[32]);
  }

  private static CofferException assertDecryptionFails(Runnable attempt) {
    try {
      attempt.run();
    } catch (CofferException e) {
      assertThat(e.code()).isEqualTo(ErrorCode.DECRYPTION_FAILED);
      return e;
    }
    throw new AssertionError("expected DECRYPTION_FAILED");
  }

  private static byte[] bytes(int size, long seed) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }
}
