package dev.coffer.core.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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

  /** Skips the test, with the reason and how to enable it, when there is no SoftHSM2. */
  private static Pkcs11RootKeyProvider.Token token() {
    assumeTrue(SoftHsm.token().isPresent(), SoftHsm.HOW_TO_ENABLE);
    return SoftHsm.token().orElseThrow();
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
                                Path.of("/nonexistent/libpkcs11.so"), token().slot()),
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
}
