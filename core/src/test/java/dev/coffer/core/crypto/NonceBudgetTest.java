package dev.coffer.core.crypto;

import static dev.coffer.core.crypto.RootOfTrustTest.assertFails;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.core.error.ErrorCode;
import dev.coffer.core.model.SecretName;
import dev.coffer.core.model.SecretValue;
import dev.coffer.core.model.VaultName;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NonceBudgetTest {
  private static final KeyRef KEY = new KeyRef("vault/payments", 1);

  @Test
  void theDefaultThresholdIsWellBelowTheNistLimit() {
    assertThat(NonceBudget.RANDOM_NONCE_LIMIT).isEqualTo(4_294_967_296L);
    assertThat(NonceBudget.DEFAULT_ROTATION_THRESHOLD)
        .isLessThanOrEqualTo(NonceBudget.RANDOM_NONCE_LIMIT / 16);
    assertThat(NonceBudget.withDefaults().rotationThreshold())
        .isEqualTo(NonceBudget.DEFAULT_ROTATION_THRESHOLD);
  }

  @Test
  void thresholdsMustLeaveRoomToRotate() {
    for (long bad : new long[] {0, -1, NonceBudget.MAX_ROTATION_THRESHOLD + 1, 1L << 32}) {
      assertThatThrownBy(() -> new NonceBudget(bad)).isInstanceOf(IllegalArgumentException.class);
    }
    assertThat(new NonceBudget(NonceBudget.MAX_ROTATION_THRESHOLD).rotationThreshold())
        .isEqualTo(1L << 31);
  }

  @Test
  void rotationIsDueAtTheThresholdAndSignalledOnce() {
    NonceBudget budget = new NonceBudget(3);
    List<KeyRef> signalled = new ArrayList<>();
    budget.onRotationDue(signalled::add);

    budget.charge(KEY);
    budget.charge(KEY);
    assertThat(budget.rotationDue(KEY)).isFalse();
    budget.charge(KEY);
    budget.charge(KEY);

    assertThat(budget.uses(KEY)).isEqualTo(4);
    assertThat(budget.rotationDue(KEY)).isTrue();
    assertThat(budget.keysDueForRotation()).containsExactly(KEY);
    assertThat(signalled).containsExactly(KEY);
    assertThat(budget.rotationDue(new KeyRef("vault/payments", 2))).isFalse();
  }

  @Test
  void encryptionIsRefusedAtTheLimit() {
    NonceBudget budget = new NonceBudget(2, 4);
    for (int i = 0; i < 4; i++) {
      budget.charge(KEY);
    }

    assertThat(assertFails(ErrorCode.KEY_UNAVAILABLE, () -> budget.charge(KEY)).getMessage())
        .contains("vault/payments/v1")
        .contains("must be rotated");
    assertThat(budget.uses(KEY)).isEqualTo(4);
  }

  @Test
  void usesRecordedElsewhereAreResumedNeverLowered() {
    NonceBudget budget = new NonceBudget(100);
    budget.resume(KEY, 150);
    budget.resume(KEY, 10);

    assertThat(budget.uses(KEY)).isEqualTo(150);
    assertThat(budget.rotationDue(KEY)).isTrue();
  }

  @Test
  void theSeamCountsEachVaultKeyVersionSeparately() {
    NonceBudget budget = new NonceBudget(3);
    EnvelopeSecretCrypto crypto =
        new EnvelopeSecretCrypto(
            RootOfTrust.of(
                LocalRootKeyProvider.fromBase64(
                    "root-1", LocalRootKeyProvider.generateBase64Key(), budget)),
            Duration.ofMinutes(5),
            budget);
    VaultName vault = VaultName.of("payments");
    WrappedVaultKey v1 = crypto.newVaultKey(vault);
    WrappedVaultKey v2 = crypto.newVaultKey(vault, 2);

    for (long version = 1; version <= 3; version++) {
      crypto.seal(
          new SecretIdentity(vault, SecretName.of("db"), version), v1, SecretValue.ofUtf8("x"));
    }

    assertThat(crypto.rotationDue(vault, v1)).isTrue();
    assertThat(crypto.rotationDue(vault, v2)).isFalse();
    assertThat(budget.uses(new KeyRef("vault/payments", 1))).isEqualTo(3);
    // The root key wrapped two vault key versions.
    assertThat(budget.uses(new KeyRef("root-1", 1))).isEqualTo(2);
  }

  /**
   * Several control planes seal under one vault key: each reports what it used since the last
   * report, and adopts the stored total, so that its count (and the rotation decision) is global.
   */
  @Test
  void usesAreTakenForReportingOnceAndTheStoredTotalIsAdopted() {
    NonceBudget budget = new NonceBudget(100);
    KeyRef other = new KeyRef("vault/other", 2);
    for (int i = 0; i < 5; i++) {
      budget.charge(KEY);
    }
    budget.charge(other);

    assertThat(budget.takeUnreported()).containsOnly(Map.entry(KEY, 5L), Map.entry(other, 1L));
    assertThat(budget.takeUnreported()).isEmpty();

    budget.charge(KEY);
    budget.resume(KEY, 99); // what the store holds after every process reported
    assertThat(budget.uses(KEY)).isEqualTo(99);
    assertThat(budget.rotationDue(KEY)).isFalse();
    budget.charge(KEY);
    assertThat(budget.rotationDue(KEY)).isTrue();
    assertThat(budget.takeUnreported()).containsOnly(Map.entry(KEY, 2L));

    budget.giveBack(KEY, 2); // the report failed: the next one carries them
    assertThat(budget.takeUnreported()).containsOnly(Map.entry(KEY, 2L));
    assertThat(budget.uses(KEY)).isEqualTo(100);
  }
}
