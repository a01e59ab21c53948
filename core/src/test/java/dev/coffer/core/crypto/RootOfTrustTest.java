package dev.coffer.core.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.core.error.CofferException;
import dev.coffer.core.error.ErrorCode;
import dev.coffer.core.model.SecretName;
import dev.coffer.core.model.SecretValue;
import dev.coffer.core.model.VaultName;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Multi-root wrapping: active-active providers, failover, and what happens when none answers. */
class RootOfTrustTest {
  private static final VaultName VAULT = VaultName.of("payments");

  private final FailingRootKeyProvider a = failing("root-a");
  private final FailingRootKeyProvider b = failing("root-b");
  private final RootOfTrust roots = RootOfTrust.of(a, b);

  @Test
  void aVaultKeyIsWrappedByEveryProviderAndNamesItsVersion() {
    WrappedVaultKey wrapped = roots.wrap(VAULT, 3, key(1));

    assertThat(wrapped.version()).isEqualTo(3);
    assertThat(wrapped.wrappedBy())
        .containsExactly(new KeyRef("root-a", 1), new KeyRef("root-b", 1));
    assertThat(wrapped.toString()).doesNotContain(java.util.HexFormat.of().formatHex(key(1)));
  }

  @Test
  void eachProviderAloneCanUnwrap() {
    WrappedVaultKey wrapped = roots.wrap(VAULT, 1, key(2));

    assertThat(RootOfTrust.of(a).unwrap(VAULT, wrapped)).isEqualTo(key(2));
    assertThat(RootOfTrust.of(b).unwrap(VAULT, wrapped)).isEqualTo(key(2));
  }

  @Test
  void bothProvidersShareTheLoadWhileUp() {
    WrappedVaultKey wrapped = roots.wrap(VAULT, 1, key(3));

    for (int i = 0; i < 10; i++) {
      assertThat(roots.unwrap(VAULT, wrapped)).isEqualTo(key(3));
    }

    assertThat(a.unwraps()).isEqualTo(5);
    assertThat(b.unwraps()).isEqualTo(5);
  }

  @Test
  void whenOneProviderIsDownTheOtherUnwrapsWithoutError() {
    WrappedVaultKey wrapped = roots.wrap(VAULT, 1, key(4));

    a.down();
    for (int i = 0; i < 4; i++) {
      assertThat(roots.unwrap(VAULT, wrapped)).isEqualTo(key(4));
    }
    a.up();
    b.down();
    for (int i = 0; i < 4; i++) {
      assertThat(roots.unwrap(VAULT, wrapped)).isEqualTo(key(4));
    }
    assertThat(roots.availability())
        .containsExactly(java.util.Map.entry("root-a", true), java.util.Map.entry("root-b", false));
  }

  @Test
  void whenEveryProviderIsDownTheErrorSaysSo() {
    WrappedVaultKey wrapped = roots.wrap(VAULT, 1, key(5));
    a.down();
    b.down();

    CofferException e = assertFails(ErrorCode.KEY_UNAVAILABLE, () -> roots.unwrap(VAULT, wrapped));

    assertThat(e.getMessage())
        .contains("No root key provider")
        .contains("root-a")
        .contains("root-b");
  }

  @Test
  void aNewVaultKeyNeedsEveryProvider() {
    b.down();

    CofferException e = assertFails(ErrorCode.KEY_UNAVAILABLE, () -> roots.wrap(VAULT, 1, key(6)));

    assertThat(e.getMessage()).contains("root-b");
  }

  @Test
  void oneTamperedWrappingIsSurvivedThroughTheOther() {
    WrappedVaultKey wrapped = roots.wrap(VAULT, 1, key(7));
    VaultKeyBundle bundle = wrapped.bundle();
    VaultKeyBundle.Wrapping first = bundle.wrappings().get(0);
    byte[] bytes = first.wrapping().bytes();
    bytes[bytes.length - 1] ^= 1;
    WrappedVaultKey oneTampered =
        new WrappedVaultKey(
            new VaultKeyBundle(
                    1,
                    List.of(
                        new VaultKeyBundle.Wrapping(
                            first.kind(), new RootWrapping(first.wrapping().rootKey(), bytes)),
                        bundle.wrappings().get(1)))
                .encode());

    for (int i = 0; i < 4; i++) {
      assertThat(roots.unwrap(VAULT, oneTampered)).isEqualTo(key(7));
    }
    b.down();
    assertFails(ErrorCode.KEY_UNAVAILABLE, () -> roots.unwrap(VAULT, oneTampered));
    b.up();
    assertFails(ErrorCode.DECRYPTION_FAILED, () -> RootOfTrust.of(a).unwrap(VAULT, oneTampered));
  }

  @Test
  void aVaultKeyMovedToAnotherVaultOrVersionDoesNotUnwrap() {
    WrappedVaultKey wrapped = roots.wrap(VAULT, 1, key(8));
    VaultKeyBundle bundle = wrapped.bundle();
    WrappedVaultKey relabelled =
        new WrappedVaultKey(new VaultKeyBundle(2, bundle.wrappings()).encode());

    assertFails(
        ErrorCode.DECRYPTION_FAILED, () -> roots.unwrap(VaultName.of("payments-2"), wrapped));
    assertFails(ErrorCode.DECRYPTION_FAILED, () -> roots.unwrap(VAULT, relabelled));
  }

  @Test
  void aVaultKeyWrappedOnlyByUnknownRootsNamesThem() {
    WrappedVaultKey wrapped = roots.wrap(VAULT, 1, key(9));

    CofferException e =
        assertFails(
            ErrorCode.DECRYPTION_FAILED,
            () -> RootOfTrust.of(failing("root-c")).unwrap(VAULT, wrapped));

    assertThat(e.getMessage())
        .contains("root-a/v1")
        .contains("root-b/v1")
        .contains("none of which");
  }

  @Test
  void corruptBytesAreRefused() {
    for (byte[] bytes :
        new byte[][] {
          new byte[0], {2}, {1, 0, 0, 0, 1}, "wrapped".getBytes(StandardCharsets.UTF_8)
        }) {
      assertFails(
          ErrorCode.DECRYPTION_FAILED, () -> roots.unwrap(VAULT, new WrappedVaultKey(bytes)));
    }
  }

  @Test
  void rewrapUsesTheProvidersCurrentlyConfigured() {
    WrappedVaultKey wrapped = RootOfTrust.of(a).wrap(VAULT, 4, key(10));

    WrappedVaultKey rewrapped = roots.rewrap(VAULT, wrapped);

    assertThat(rewrapped.version()).isEqualTo(4);
    assertThat(rewrapped.wrappedBy())
        .containsExactly(new KeyRef("root-a", 1), new KeyRef("root-b", 1));
    assertThat(RootOfTrust.of(b).unwrap(VAULT, rewrapped)).isEqualTo(key(10));
  }

  @Test
  void eachRootKeyIdIsConfiguredOnce() {
    assertThatThrownBy(() -> RootOfTrust.of(a, failing("root-a")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("root-a");
    assertThatThrownBy(() -> new RootOfTrust(List.of(), Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /** End to end: clients of the seam see no error while one provider is down, on a cold cache. */
  @Test
  void secretsStayReadableThroughTheSeamWhileOneProviderIsDown() {
    EnvelopeSecretCrypto crypto = crypto(roots);
    WrappedVaultKey vaultKey = crypto.newVaultKey(VAULT);
    SecretIdentity identity = new SecretIdentity(VAULT, SecretName.of("db"), 1);
    SealedSecret sealed = crypto.seal(identity, vaultKey, SecretValue.ofUtf8("s3cret"));

    a.down();
    assertThat(crypto(roots).open(identity, vaultKey, sealed).asUtf8()).contains("s3cret");
    a.up();
    b.down();
    assertThat(crypto(roots).open(identity, vaultKey, sealed).asUtf8()).contains("s3cret");
    a.down();
    assertFails(ErrorCode.KEY_UNAVAILABLE, () -> crypto(roots).open(identity, vaultKey, sealed));
  }

  private static EnvelopeSecretCrypto crypto(RootOfTrust roots) {
    return new EnvelopeSecretCrypto(roots, Duration.ofMinutes(5), NonceBudget.withDefaults());
  }

  static FailingRootKeyProvider failing(String keyId) {
    return new FailingRootKeyProvider(
        LocalRootKeyProvider.fromBase64(keyId, LocalRootKeyProvider.generateBase64Key()));
  }

  private static byte[] key(long seed) {
    byte[] bytes = new byte[32];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  static CofferException assertFails(ErrorCode code, Runnable attempt) {
    try {
      attempt.run();
    } catch (CofferException e) {
      assertThat(e.code()).as(e.getMessage()).isEqualTo(code);
      return e;
    }
    throw new AssertionError("expected " + code);
  }
}
