package dev.coffer.core.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.core.error.CofferException;
import dev.coffer.core.error.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link RootKeyProvider} must do, written once and run against each implementation (as
 * HashiCorp Vault's ExerciseBackend is run against each storage backend).
 */
public abstract class RootKeyProviderContract {
  protected static final byte[] CONTEXT =
      "coffer/v2/vault-key/payments/1".getBytes(StandardCharsets.UTF_8);

  private final List<RootKeyProvider> opened = new ArrayList<>();
  protected NonceBudget budget;
  protected RootKeyProvider provider;

  /** Opens a provider of root key {@link #keyId()} holding at least one version. */
  protected abstract RootKeyProvider open(NonceBudget budget);

  protected abstract String keyId();

  /** A provider with the same key id but other key material, where one can be made. */
  protected Optional<RootKeyProvider> sameIdOtherKey() {
    return Optional.empty();
  }

  /** Adds a version of the key and opens the provider again, where the implementation can. */
  protected Optional<RootKeyProvider> rotateAndReopen(NonceBudget budget) {
    return Optional.empty();
  }

  /** Text that must appear in no toString() and no error message: key material, passphrases. */
  protected List<String> materialThatMustNotLeak() {
    return List.of();
  }

  /** Registers a provider to close after the test. */
  protected final <P extends RootKeyProvider> P track(P p) {
    opened.add(p);
    return p;
  }

  @BeforeEach
  void openProvider() {
    budget = NonceBudget.withDefaults();
    provider = track(open(budget));
  }

  @AfterEach
  void closeProviders() {
    opened.forEach(RootKeyProvider::close);
  }

  @Test
  void unwrapInvertsWrapAndTheWrappingNamesTheKey() {
    byte[] vaultKey = bytes(32, 1);

    RootWrapping wrapping = provider.wrap(vaultKey.clone(), CONTEXT);

    assertThat(wrapping.rootKey()).isEqualTo(new KeyRef(keyId(), provider.keyVersion()));
    assertThat(provider.keyId()).isEqualTo(keyId());
    assertThat(provider.unwrap(wrapping, CONTEXT)).isEqualTo(vaultKey);
    assertThat(HexFormat.of().formatHex(wrapping.bytes()))
        .doesNotContain(HexFormat.of().formatHex(vaultKey));
  }

  @Test
  void wrappingTwiceGivesDifferentBytes() {
    byte[] vaultKey = bytes(32, 2);

    assertThat(provider.wrap(vaultKey, CONTEXT).bytes())
        .isNotEqualTo(provider.wrap(vaultKey, CONTEXT).bytes());
  }

  @Test
  void aWrongContextFails() {
    RootWrapping wrapping = provider.wrap(bytes(32, 3), CONTEXT);

    assertFails(
        ErrorCode.DECRYPTION_FAILED,
        () ->
            provider.unwrap(
                wrapping, "coffer/v2/vault-key/payments/2".getBytes(StandardCharsets.UTF_8)));
    assertFails(ErrorCode.DECRYPTION_FAILED, () -> provider.unwrap(wrapping, new byte[0]));
  }

  @Test
  void everySingleBitFlipFails() {
    RootWrapping wrapping = provider.wrap(bytes(32, 4), CONTEXT);
    byte[] bytes = wrapping.bytes();
    for (int bit = 0; bit < bytes.length * 8; bit++) {
      byte[] tampered = bytes.clone();
      tampered[bit / 8] ^= (byte) (1 << (bit % 8));
      assertFails(
          ErrorCode.DECRYPTION_FAILED,
          () -> provider.unwrap(new RootWrapping(wrapping.rootKey(), tampered), CONTEXT));
    }
  }

  @Test
  void aWrappingThatNamesAnotherKeyOrVersionFails() {
    RootWrapping wrapping = provider.wrap(bytes(32, 5), CONTEXT);
    KeyRef key = wrapping.rootKey();

    assertFails(
        ErrorCode.DECRYPTION_FAILED,
        () ->
            provider.unwrap(
                new RootWrapping(new KeyRef("other", key.version()), wrapping.bytes()), CONTEXT));
    assertFails(
        ErrorCode.DECRYPTION_FAILED,
        () ->
            provider.unwrap(
                new RootWrapping(new KeyRef(key.id(), key.version() + 1), wrapping.bytes()),
                CONTEXT));
  }

  @Test
  void corruptBytesFail() {
    KeyRef key = new KeyRef(keyId(), provider.keyVersion());
    assertFails(
        ErrorCode.DECRYPTION_FAILED,
        () -> provider.unwrap(new RootWrapping(key, new byte[0]), CONTEXT));
    assertFails(
        ErrorCode.DECRYPTION_FAILED,
        () -> provider.unwrap(new RootWrapping(key, bytes(80, 6)), CONTEXT));
  }

  @Test
  void anotherKeyWithTheSameIdFails() {
    Optional<RootKeyProvider> other = sameIdOtherKey().map(this::track);
    Assumptions.assumeTrue(other.isPresent(), "this implementation cannot hold two such keys");
    RootWrapping wrapping = other.get().wrap(bytes(32, 7), CONTEXT);

    CofferException e =
        assertFails(ErrorCode.DECRYPTION_FAILED, () -> provider.unwrap(wrapping, CONTEXT));
    assertNoMaterialIn(e.getMessage());
  }

  @Test
  void aNewVersionWrapsWhileOldWrappingsStillUnwrap() {
    byte[] vaultKey = bytes(32, 8);
    RootWrapping old = provider.wrap(vaultKey, CONTEXT);
    Optional<RootKeyProvider> rotated = rotateAndReopen(budget).map(this::track);
    Assumptions.assumeTrue(rotated.isPresent(), "this implementation holds a single version");

    RootWrapping fresh = rotated.get().wrap(vaultKey, CONTEXT);

    assertThat(fresh.rootKey().version()).isEqualTo(old.rootKey().version() + 1);
    assertThat(rotated.get().keyVersion()).isEqualTo(fresh.rootKey().version());
    assertThat(rotated.get().unwrap(old, CONTEXT)).isEqualTo(vaultKey);
    assertThat(rotated.get().unwrap(fresh, CONTEXT)).isEqualTo(vaultKey);
  }

  @Test
  void everyWrapIsCountedAgainstItsKeyVersion() {
    KeyRef key = new KeyRef(keyId(), provider.keyVersion());
    long before = budget.uses(key);

    for (int i = 0; i < 3; i++) {
      provider.wrap(bytes(32, i), CONTEXT);
    }

    assertThat(budget.uses(key)).isEqualTo(before + 3);
  }

  @Test
  void isAvailableUntilClosedAndThenFailsAsUnavailable() {
    RootWrapping wrapping = provider.wrap(bytes(32, 9), CONTEXT);
    assertThat(provider.isAvailable()).isTrue();

    provider.close();

    assertThat(provider.isAvailable()).isFalse();
    assertFails(ErrorCode.KEY_UNAVAILABLE, () -> provider.wrap(bytes(32, 9), CONTEXT));
    assertFails(ErrorCode.KEY_UNAVAILABLE, () -> provider.unwrap(wrapping, CONTEXT));
  }

  @Test
  void toStringAndErrorsShowTheKeyIdAndNoMaterial() {
    assertThat(provider.toString()).contains(keyId());
    assertNoMaterialIn(provider.toString());
    RootWrapping wrapping = provider.wrap(bytes(32, 10), CONTEXT);
    CofferException e =
        assertFails(ErrorCode.DECRYPTION_FAILED, () -> provider.unwrap(wrapping, new byte[1]));
    assertNoMaterialIn(e.getMessage());
    assertThat(e.getMessage()).doesNotContain(HexFormat.of().formatHex(bytes(32, 10)));
  }

  protected void assertNoMaterialIn(String text) {
    for (String secret : materialThatMustNotLeak()) {
      assertThat(text).doesNotContain(secret);
      if (secret.length() > 12) {
        assertThat(text).doesNotContain(secret.substring(0, 12));
      }
    }
  }

  protected static CofferException assertFails(ErrorCode code, Runnable attempt) {
    try {
      attempt.run();
    } catch (CofferException e) {
      assertThat(e.code()).isEqualTo(code);
      return e;
    }
    throw new AssertionError("expected " + code);
  }

  protected static byte[] bytes(int size, long seed) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }
}
