package dev.coffer.core.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.core.error.CofferException;
import dev.coffer.core.error.ErrorCode;
import java.nio.file.Path;
import java.security.Key;
import java.security.KeyStore;
import java.security.Provider;
import java.security.Security;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Against a real PKCS#11 token: SoftHSM2 through SunPKCS11. Skipped, saying why, without it. */
class Pkcs11RootKeyProviderTest extends RootKeyProviderContract {
  private static final AtomicInteger KEYS = new AtomicInteger();

  /** Each test gets its own key, as they share one token. */
  private final String keyId = "hsm-root-" + KEYS.incrementAndGet();

  /** Fails the test, with how to enable it, when there is no SoftHSM2. */
  private static Pkcs11RootKeyProvider.Token token() {
    return SoftHsm.requireToken();
  }

  @Override
  protected RootKeyProvider open(NonceBudget budget) {
    Pkcs11RootKeyProvider.generateKey(token(), SoftHsm.PIN, keyId);
    return Pkcs11RootKeyProvider.open(token(), SoftHsm.PIN, keyId, budget);
  }

  @Override
  protected String keyId() {
    return keyId;
  }

  @Override
  protected Optional<RootKeyProvider> sameIdOtherKey() {
    Pkcs11RootKeyProvider.generateKey(SoftHsm.secondToken(), SoftHsm.PIN, keyId);
    return Optional.of(
        Pkcs11RootKeyProvider.open(
            SoftHsm.secondToken(), SoftHsm.PIN, keyId, NonceBudget.withDefaults()));
  }

  @Override
  protected Optional<RootKeyProvider> rotateAndReopen(NonceBudget budget) {
    assertThat(Pkcs11RootKeyProvider.generateKey(token(), SoftHsm.PIN, keyId).version())
        .isEqualTo(2);
    return Optional.of(Pkcs11RootKeyProvider.open(token(), SoftHsm.PIN, keyId, budget));
  }

  @Override
  protected List<String> materialThatMustNotLeak() {
    return List.of(new String(SoftHsm.PIN));
  }

  @Test
  void theRootKeyIsSensitiveAndNonExtractable() throws Exception {
    Provider p11 =
        Security.getProvider("SunPKCS11").configure(token().sunPkcs11Config("coffer-inspect"));
    KeyStore store = KeyStore.getInstance("PKCS11", p11);
    store.load(null, SoftHsm.PIN);

    Key key = store.getKey(keyId + ".v1", null);

    assertThat(key).isNotNull();
    assertThat(key.getEncoded()).isNull();
    assertThat(key.toString())
        .contains("token object")
        .contains("sensitive")
        .contains("unextractable");
  }

  @Test
  void aWrongPinIsRefusedWithoutEchoingIt() {
    CofferException e =
        assertFails(
            ErrorCode.KEY_UNAVAILABLE,
            () ->
                Pkcs11RootKeyProvider.open(
                    SoftHsm.tokenNeverLoggedInto(),
                    "9999-zq7x-wrong".toCharArray(),
                    keyId,
                    budget));

    assertThat(e.getMessage()).contains("PIN").doesNotContain("zq7x");
  }

  @Test
  void aMissingLibraryOrKeyIsRefused() {
    assertThat(
            assertFails(
                    ErrorCode.KEY_UNAVAILABLE,
                    () ->
                        Pkcs11RootKeyProvider.open(
                            new Pkcs11RootKeyProvider.Token(
                                Path.of("/nonexistent/libpkcs11.so"), 0),
                            SoftHsm.PIN,
                            keyId,
                            budget))
                .getMessage())
        .contains("does not exist");
    assertThat(
            assertFails(
                    ErrorCode.KEY_UNAVAILABLE,
                    () -> Pkcs11RootKeyProvider.open(token(), SoftHsm.PIN, "absent-key", budget))
                .getMessage())
        .contains("no version of root key 'absent-key'");
  }

  /** As after a reopen for a rotated key: the old instance closes while the new one works on. */
  @Test
  void closingOneInstanceLeavesAnotherOnTheSameTokenUsable() {
    RootKeyProvider fresh = track(Pkcs11RootKeyProvider.open(token(), SoftHsm.PIN, keyId, budget));
    RootWrapping wrapping = provider.wrap(bytes(32, 11), CONTEXT);

    provider.close();

    assertThat(provider.isAvailable()).isFalse();
    assertThat(fresh.isAvailable()).as("no logout: the login is the whole process's").isTrue();
    assertThat(fresh.unwrap(wrapping, CONTEXT)).isEqualTo(bytes(32, 11));
  }

  @Test
  void theLibraryListsEachTokenWithItsLabelAndSlot() {
    Path library = token().library();

    assertThat(Pkcs11TokenLabels.labels(library))
        .containsEntry(token().slot().getAsLong(), SoftHsm.label(1))
        .containsEntry(SoftHsm.secondToken().slot().getAsLong(), SoftHsm.label(2))
        .containsEntry(SoftHsm.tokenNeverLoggedInto().slot().getAsLong(), SoftHsm.label(3));
  }

  @Test
  void aTokenChosenByLabelIsTheTokenWithThatLabel() {
    Path library = token().library();
    // The first token holds this key id already (the contract's provider); the second gets a
    // different key under the same id, so only the right token unwraps what the other wrapped.
    Pkcs11RootKeyProvider.generateKey(
        Pkcs11RootKeyProvider.Token.labelled(library, SoftHsm.label(2)), SoftHsm.PIN, keyId);
    RootKeyProvider second =
        track(Pkcs11RootKeyProvider.open(SoftHsm.secondToken(), SoftHsm.PIN, keyId, budget));
    RootKeyProvider secondByLabel =
        track(
            Pkcs11RootKeyProvider.open(
                Pkcs11RootKeyProvider.Token.labelled(library, SoftHsm.label(2)),
                SoftHsm.PIN,
                keyId,
                budget));
    RootKeyProvider firstByLabel =
        track(
            Pkcs11RootKeyProvider.open(
                Pkcs11RootKeyProvider.Token.labelled(library, SoftHsm.label(1)),
                SoftHsm.PIN,
                keyId,
                budget));
    byte[] vaultKey = bytes(32, 7);

    RootWrapping bySecond = second.wrap(vaultKey.clone(), CONTEXT);
    RootWrapping byFirst = provider.wrap(vaultKey.clone(), CONTEXT);

    assertThat(secondByLabel.unwrap(bySecond, CONTEXT)).isEqualTo(vaultKey);
    assertThat(firstByLabel.unwrap(byFirst, CONTEXT)).isEqualTo(vaultKey);
    assertFails(ErrorCode.DECRYPTION_FAILED, () -> secondByLabel.unwrap(byFirst, CONTEXT));
    assertFails(ErrorCode.DECRYPTION_FAILED, () -> firstByLabel.unwrap(bySecond, CONTEXT));
    assertThat(secondByLabel.toString()).doesNotContain("zq7x");
  }

  @Test
  void aLabelNoTokenHasIsKeyUnavailableNamingTheLabelNotThePin() {
    Pkcs11RootKeyProvider.Token absent =
        Pkcs11RootKeyProvider.Token.labelled(token().library(), "no-such-token");

    for (Runnable attempt :
        List.<Runnable>of(
            () -> Pkcs11RootKeyProvider.open(absent, SoftHsm.PIN, keyId, budget),
            () -> Pkcs11RootKeyProvider.generateKey(absent, SoftHsm.PIN, keyId))) {
      assertThat(assertFails(ErrorCode.KEY_UNAVAILABLE, attempt).getMessage())
          .contains("labelled 'no-such-token'")
          .doesNotContain("zq7x");
    }
  }

  @Test
  void aTokenIsChosenByExactlyOneOfSlotAndLabel() {
    Path library = Path.of("/nonexistent/libpkcs11.so");

    org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
        .isThrownBy(
            () ->
                new Pkcs11RootKeyProvider.Token(
                    library, java.util.OptionalLong.of(1), Optional.of("both")))
        .withMessageContaining("exactly one of slot and label");
    org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
        .isThrownBy(() -> Pkcs11RootKeyProvider.Token.labelled(library, "x".repeat(33)))
        .withMessageContaining("1 to 32 bytes");
  }
}
