package dev.coffer.controlplane.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.core.crypto.KeyRef;
import dev.coffer.core.crypto.LocalRootKeyProvider;
import dev.coffer.core.crypto.RootOfTrust;
import dev.coffer.core.crypto.WrappedVaultKey;
import dev.coffer.core.model.VaultName;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which vault key versions {@code keys-rewrap} wraps afresh. */
class KeysRewrapCommandTest {
  private static final VaultName VAULT = VaultName.of("payments");
  private static final LocalRootKeyProvider KEYSTORE =
      LocalRootKeyProvider.fromBase64("keystore", LocalRootKeyProvider.generateBase64Key());
  private static final LocalRootKeyProvider HSM =
      LocalRootKeyProvider.fromBase64("hsm", LocalRootKeyProvider.generateBase64Key());

  @Test
  void aKeyWrappedByExactlyTheCurrentKeysIsLeftAlone() {
    WrappedVaultKey key = RootOfTrust.of(KEYSTORE, HSM).wrap(VAULT, 1, new byte[32]);

    assertThat(KeysRewrapCommand.isCurrent(key, List.of(ref(HSM), ref(KEYSTORE)))).isTrue();
  }

  @Test
  void aKeyMissingAWrappingByANewProviderIsRewrapped() {
    WrappedVaultKey key = RootOfTrust.of(KEYSTORE).wrap(VAULT, 1, new byte[32]);

    assertThat(KeysRewrapCommand.isCurrent(key, List.of(ref(KEYSTORE), ref(HSM)))).isFalse();
  }

  /** A removed provider's wrapping must go: whoever keeps that old key could unwrap otherwise. */
  @Test
  void aKeyStillWrappedByARemovedProviderIsRewrapped() {
    WrappedVaultKey key = RootOfTrust.of(KEYSTORE, HSM).wrap(VAULT, 1, new byte[32]);

    assertThat(KeysRewrapCommand.isCurrent(key, List.of(ref(HSM)))).isFalse();
    assertThat(RootOfTrust.of(HSM).rewrap(VAULT, key).wrappedBy()).containsExactly(ref(HSM));
  }

  private static KeyRef ref(LocalRootKeyProvider provider) {
    return new KeyRef(provider.keyId(), provider.keyVersion());
  }
}
