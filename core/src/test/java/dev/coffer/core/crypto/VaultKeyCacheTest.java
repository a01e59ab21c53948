package dev.coffer.core.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.core.model.SecretName;
import dev.coffer.core.model.SecretValue;
import dev.coffer.core.model.VaultName;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class VaultKeyCacheTest {

  /**
   * Cached vault keys are wiped when dropped. With a lifetime so short that keys are dropped while
   * other threads use them, nothing is ever sealed or opened with a wiped (all-zero) key: every
   * secret opens, also through a fresh instance that unwraps the key anew.
   */
  @Test
  void keysWipedOnEvictionAreNeverUsedWiped() throws Exception {
    RootOfTrust roots =
        RootOfTrust.of(
            LocalRootKeyProvider.fromBase64("root-1", LocalRootKeyProvider.generateBase64Key()));
    EnvelopeSecretCrypto churning =
        new EnvelopeSecretCrypto(roots, Duration.ofNanos(1), NonceBudget.withDefaults());
    EnvelopeSecretCrypto fresh =
        new EnvelopeSecretCrypto(roots, Duration.ofMinutes(5), NonceBudget.withDefaults());
    VaultName vault = VaultName.of("payments");
    WrappedVaultKey vaultKey = churning.newVaultKey(vault);
    ExecutorService threads = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int thread = t;
        done.add(
            threads.submit(
                () -> {
                  for (int i = 1; i <= 100; i++) {
                    SecretIdentity identity =
                        new SecretIdentity(vault, SecretName.of("s" + thread), i);
                    SecretValue value = SecretValue.ofUtf8("v" + thread + "/" + i);
                    SealedSecret sealed = churning.seal(identity, vaultKey, value);
                    assertThat(churning.open(identity, vaultKey, sealed)).isEqualTo(value);
                    assertThat(fresh.open(identity, vaultKey, sealed)).isEqualTo(value);
                  }
                  return null;
                }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      threads.shutdownNow();
    }
  }
}
