package dev.coffer.core.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LocalRootKeyProviderTest extends RootKeyProviderContract {
  private final String base64Key = LocalRootKeyProvider.generateBase64Key();

  @Override
  protected RootKeyProvider open(NonceBudget budget) {
    return LocalRootKeyProvider.fromBase64("root-1", base64Key, budget);
  }

  @Override
  protected String keyId() {
    return "root-1";
  }

  @Override
  protected Optional<RootKeyProvider> sameIdOtherKey() {
    return Optional.of(
        LocalRootKeyProvider.fromBase64("root-1", LocalRootKeyProvider.generateBase64Key()));
  }

  @Override
  protected List<String> materialThatMustNotLeak() {
    return List.of(base64Key);
  }

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
    LocalRootKeyProvider padded =
        track(LocalRootKeyProvider.fromBase64("root-1", " " + base64Key + "\n"));
    byte[] vaultKey = bytes(32, 1);

    assertThat(provider.unwrap(padded.wrap(vaultKey, CONTEXT), CONTEXT)).isEqualTo(vaultKey);
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
}
