package dev.coffer.core.crypto;

import static dev.coffer.core.crypto.RootOfTrustTest.assertFails;
import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.core.error.ErrorCode;
import dev.coffer.core.model.SecretName;
import dev.coffer.core.model.SecretValue;
import dev.coffer.core.model.VaultName;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Failover between the two real provider kinds, a keystore file and a PKCS#11 token (SoftHSM2),
 * through the seam. Skipped, saying how to enable it, without SoftHSM2.
 */
class RealProvidersFailoverTest {
  private static final char[] PASSPHRASE = "zq7x-failover-passphrase".toCharArray();
  private static final VaultName VAULT = VaultName.of("payments");
  private static final SecretIdentity IDENTITY = new SecretIdentity(VAULT, SecretName.of("db"), 1);

  private final List<RootKeyProvider> opened = new ArrayList<>();

  @TempDir Path directory;

  @Test
  void aSecretStaysReadableWhileEitherProviderIsUpAndNotWhenNeitherIs() {
    Pkcs11RootKeyProvider.Token token = SoftHsm.requireToken();
    Path keystore = directory.resolve("root.p12");
    KeystoreRootKeyProvider.generateKey(
        keystore, KeystoreRootKeyProvider.Format.PKCS12, PASSPHRASE, "file-root");
    Pkcs11RootKeyProvider.generateKey(token, SoftHsm.PIN, "hsm-failover");

    RootKeyProvider file = openKeystore(keystore);
    RootKeyProvider hsm = openHsm(token);
    EnvelopeSecretCrypto crypto = crypto(file, hsm);
    WrappedVaultKey vaultKey = crypto.newVaultKey(VAULT);
    SealedSecret sealed = crypto.seal(IDENTITY, vaultKey, SecretValue.ofUtf8("s3cret"));
    assertThat(vaultKey.wrappedBy())
        .containsExactly(new KeyRef("file-root", 1), new KeyRef("hsm-failover", 1));

    // The HSM is gone; the keystore answers.
    hsm.close();
    assertThat(crypto(file, hsm).open(IDENTITY, vaultKey, sealed).asUtf8()).contains("s3cret");

    // The HSM is back and the keystore gone; the HSM answers.
    RootKeyProvider hsmAgain = openHsm(token);
    file.close();
    assertThat(crypto(file, hsmAgain).open(IDENTITY, vaultKey, sealed).asUtf8()).contains("s3cret");

    // Neither answers.
    hsmAgain.close();
    assertFails(
        ErrorCode.KEY_UNAVAILABLE, () -> crypto(file, hsmAgain).open(IDENTITY, vaultKey, sealed));
  }

  @AfterEach
  void closeProviders() {
    opened.forEach(RootKeyProvider::close);
  }

  private RootKeyProvider openKeystore(Path keystore) {
    return track(
        KeystoreRootKeyProvider.open(
            keystore,
            KeystoreRootKeyProvider.Format.PKCS12,
            PASSPHRASE,
            "file-root",
            NonceBudget.withDefaults()));
  }

  private RootKeyProvider openHsm(Pkcs11RootKeyProvider.Token token) {
    return track(
        Pkcs11RootKeyProvider.open(token, SoftHsm.PIN, "hsm-failover", NonceBudget.withDefaults()));
  }

  private RootKeyProvider track(RootKeyProvider provider) {
    opened.add(provider);
    return provider;
  }

  /** A fresh instance each time: a cold cache, so every open goes to the providers. */
  private static EnvelopeSecretCrypto crypto(RootKeyProvider... providers) {
    return new EnvelopeSecretCrypto(
        new RootOfTrust(List.of(providers), Optional.empty()),
        Duration.ofMinutes(5),
        NonceBudget.withDefaults());
  }
}
