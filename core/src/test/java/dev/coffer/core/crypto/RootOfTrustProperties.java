package dev.coffer.core.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.core.error.CofferException;
import dev.coffer.core.error.ErrorCode;
import dev.coffer.core.model.VaultName;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class RootOfTrustProperties {
  private static final VaultName VAULT = VaultName.of("payments");

  /**
   * With any number of providers and any of them down, a vault key unwraps without error as long as
   * one is up, repeatedly (whatever provider the rotation starts at); with all down, the error is
   * KEY_UNAVAILABLE.
   */
  @Property(tries = 100)
  void unwrapSucceedsWhileAnyProviderIsUp(
      @ForAll @Size(min = 1, max = 5) List<Boolean> up,
      @ForAll @IntRange(min = 1, max = 1000) int version,
      @ForAll long seed) {
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
