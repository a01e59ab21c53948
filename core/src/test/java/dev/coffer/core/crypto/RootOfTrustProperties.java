package dev.coffer.core.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.coffer.core.error.CofferException;
import dev.coffer.core.error.ErrorCode;
import dev.coffer.core.model.VaultName;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.quicktheories.generators.Generate;

class RootOfTrustProperties {
  private static final VaultName VAULT = VaultName.of("payments");

  /**
   * With any number of providers and any of them down, a vault key unwraps without error as long as
   * one is up, repeatedly (whatever provider the rotation starts at); with all down, the error is
   * KEY_UNAVAILABLE.
   */
  @Test
  void unwrapSucceedsWhileAnyProviderIsUp() {
    qt().withExamples(100)
        .forAll(
            lists().of(Generate.booleans()).ofSizeBetween(1, 5),
            Generate.range(1, 1000),
            longs().all())
        .checkAssert(RootOfTrustProperties::unwrapSucceedsWhileAnyProviderIsUp);
  }

  private static void unwrapSucceedsWhileAnyProviderIsUp(List<Boolean> up, int version, long seed) {
    List<FailingRootKeyProvider> providers = new ArrayList<>();
    for (int i = 0; i < up.size(); i++) {
      providers.add(RootOfTrustTest.failing("root-" + i));
    }
    RootOfTrust roots = new RootOfTrust(List.copyOf(providers), Optional.empty());
    byte[] key = new byte[32];
    new Random(seed).nextBytes(key);
    WrappedVaultKey wrapped = roots.wrap(VAULT, version, key);
    for (int i = 0; i < up.size(); i++) {
      if (!up.get(i)) {
        providers.get(i).down();
      }
    }

    for (int attempt = 0; attempt < up.size(); attempt++) {
      if (up.contains(true)) {
        assertThat(roots.unwrap(VAULT, wrapped)).isEqualTo(key);
      } else {
        try {
          roots.unwrap(VAULT, wrapped);
          throw new AssertionError("expected KEY_UNAVAILABLE");
        } catch (CofferException e) {
          assertThat(e.code()).isEqualTo(ErrorCode.KEY_UNAVAILABLE);
        }
      }
    }
  }
}
