package dev.coffer.core.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.core.error.ErrorCode;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The test decorator passes the contract while up, so failover tests exercise a real provider. */
class FailingRootKeyProviderTest extends RootKeyProviderContract {
  private final String base64Key = LocalRootKeyProvider.generateBase64Key();

  @Override
  protected RootKeyProvider open(NonceBudget budget) {
    return new FailingRootKeyProvider(
        LocalRootKeyProvider.fromBase64("failing-root", base64Key, budget));
  }

  @Override
  protected String keyId() {
    return "failing-root";
  }

  @Override
  protected Optional<RootKeyProvider> sameIdOtherKey() {
    return Optional.of(
        new FailingRootKeyProvider(
            LocalRootKeyProvider.fromBase64(
                "failing-root", LocalRootKeyProvider.generateBase64Key())));
  }

  @Test
  void whenDownItIsUnavailableAndRefusesEverything() {
    FailingRootKeyProvider failing = (FailingRootKeyProvider) provider;
    RootWrapping wrapping = failing.wrap(bytes(32, 1), CONTEXT);

    failing.down();

    assertThat(failing.isAvailable()).isFalse();
    assertFails(ErrorCode.KEY_UNAVAILABLE, () -> failing.wrap(bytes(32, 1), CONTEXT));
    assertFails(ErrorCode.KEY_UNAVAILABLE, () -> failing.unwrap(wrapping, CONTEXT));
    assertThat(failing.up().unwrap(wrapping, CONTEXT)).isEqualTo(bytes(32, 1));
  }
}
