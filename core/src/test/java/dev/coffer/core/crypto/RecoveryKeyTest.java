package dev.coffer.core.crypto;

import static dev.coffer.core.crypto.RootOfTrustTest.assertFails;
import static dev.coffer.core.crypto.RootOfTrustTest.failing;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.core.crypto.sharing.InvalidShareException;
import dev.coffer.core.crypto.sharing.SecretShare;
import dev.coffer.core.error.ErrorCode;
import dev.coffer.core.model.SecretName;
import dev.coffer.core.model.SecretValue;
import dev.coffer.core.model.VaultName;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The recovery key: wrapped to on every vault key version, restored from custodians' shares. */
class RecoveryKeyTest {
  private static final VaultName VAULT = VaultName.of("payments");
  private static final SecretIdentity IDENTITY =
      new SecretIdentity(VAULT, SecretName.of("db-password"), 1);

  /** 5 custodians, 3 needed. Generated once: a 3072-bit key takes a while. */
  private static RecoveryKeys.Generated recovery;

  @BeforeAll
  static void generate() {
    recovery = RecoveryKeys.generate(3072, 5, 3);
  }

  @Test
  void loseBothProvidersRecoverWithThresholdSharesFailWithOneFewer() {
    FailingRootKeyProvider a = failing("root-a");
    FailingRootKeyProvider b = failing("root-b");
    RootOfTrust before = new RootOfTrust(List.of(a, b), Optional.of(recovery.publicKey()));
    EnvelopeSecretCrypto crypto = crypto(before);
    WrappedVaultKey vaultKey = crypto.newVaultKey(VAULT);
    SealedSecret sealed = crypto.seal(IDENTITY, vaultKey, SecretValue.ofUtf8("s3cret"));
    assertThat(vaultKey.wrappedBy()).contains(recovery.publicKey().keyRef());

    // Both providers are lost: down, and then replaced by new ones that never saw the key.
    a.down();
    b.down();
    assertFails(ErrorCode.KEY_UNAVAILABLE, () -> crypto(before).open(IDENTITY, vaultKey, sealed));
    RootOfTrust after =
        new RootOfTrust(
            List.of(failing("root-c"), failing("root-d")), Optional.of(recovery.publicKey()));
    assertFails(ErrorCode.DECRYPTION_FAILED, () -> crypto(after).open(IDENTITY, vaultKey, sealed));

    // Three custodians bring their shares, as text.
    List<SecretShare> three = custodians(1, 3, 4);
    RecoveryPrivateKey privateKey = RecoveryKeys.restore(three);
    WrappedVaultKey recovered = after.recover(VAULT, vaultKey, privateKey);

    assertThat(recovered.version()).isEqualTo(vaultKey.version());
    assertThat(recovered.wrappedBy())
        .containsExactly(
            new KeyRef("root-c", 1), new KeyRef("root-d", 1), recovery.publicKey().keyRef());
    assertThat(crypto(after).open(IDENTITY, recovered, sealed).asUtf8()).contains("s3cret");

    // Two are not enough, and say so.
    assertThatThrownBy(() -> RecoveryKeys.restore(custodians(2, 5)))
        .isInstanceOf(InvalidShareException.class)
        .hasMessageContaining("3 shares")
        .hasMessageContaining("2 were given");
  }

  @Test
  void anyThreeOfTheFiveSharesRestoreTheSameKey() {
    RootOfTrust roots =
        new RootOfTrust(List.of(failing("root-a")), Optional.of(recovery.publicKey()));
    WrappedVaultKey vaultKey = roots.wrap(VAULT, 1, new byte[32]);
    int[][] subsets = {{1, 2, 3}, {1, 2, 5}, {2, 4, 5}, {3, 4, 5}, {1, 2, 3, 4, 5}};

    for (int[] subset : subsets) {
      RecoveryPrivateKey key = RecoveryKeys.restore(custodians(subset));
      assertThat(key.publicKey()).isEqualTo(recovery.publicKey());
      assertThat(roots.recover(VAULT, vaultKey, key).version()).isEqualTo(1);
    }
  }

  @Test
  void theRecoveryWrappingIsBoundToItsVaultAndVersion() {
    RootOfTrust roots =
        new RootOfTrust(List.of(failing("root-a")), Optional.of(recovery.publicKey()));
    WrappedVaultKey vaultKey = roots.wrap(VAULT, 1, new byte[32]);
    RecoveryPrivateKey key = RecoveryKeys.restore(custodians(1, 2, 3));
    WrappedVaultKey relabelled =
        new WrappedVaultKey(new VaultKeyBundle(2, vaultKey.bundle().wrappings()).encode());

    assertFails(
        ErrorCode.DECRYPTION_FAILED, () -> roots.recover(VaultName.of("other"), vaultKey, key));
    assertFails(ErrorCode.DECRYPTION_FAILED, () -> roots.recover(VAULT, relabelled, key));
  }

  @Test
  void anotherRecoveryKeyCannotRecover() {
    RootOfTrust roots =
        new RootOfTrust(List.of(failing("root-a")), Optional.of(recovery.publicKey()));
    WrappedVaultKey vaultKey = roots.wrap(VAULT, 1, new byte[32]);
    RecoveryKeys.Generated other = RecoveryKeys.generate(3072, 2, 2);

    assertThat(
            assertFails(
                    ErrorCode.DECRYPTION_FAILED,
                    () -> roots.recover(VAULT, vaultKey, RecoveryKeys.restore(other.shares())))
                .getMessage())
        .contains("not wrapped by recovery key " + other.publicKey().keyRef().id());
    assertThatThrownBy(
            () -> RecoveryKeys.restore(List.of(recovery.shares().get(0), other.shares().get(1))))
        .isInstanceOf(InvalidShareException.class)
        .hasMessageContaining("different sets");
  }

  @Test
  void keysShorterThan3072BitsAreRefused() throws Exception {
    assertThatThrownBy(() -> RecoveryKeys.generate(2048, 3, 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("3072");
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    byte[] small = generator.generateKeyPair().getPublic().getEncoded();
    assertThatThrownBy(() -> RecoveryPublicKey.fromEncoded(small))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void thePublicKeySurvivesItsEncoding() {
    RecoveryPublicKey decoded = RecoveryPublicKey.fromEncoded(recovery.publicKey().encoded());

    assertThat(decoded).isEqualTo(recovery.publicKey());
    assertThat(decoded.keyRef()).isEqualTo(recovery.publicKey().keyRef());
    assertThat(decoded.keyRef().id()).matches("recovery-[0-9a-f]{16}");
    String pem = recovery.publicKey().pem();
    assertThat(pem).startsWith("-----BEGIN PUBLIC KEY-----\nMII");
    assertThat(RecoveryPublicKey.fromPem(pem)).isEqualTo(recovery.publicKey());
    assertThat(RecoveryPublicKey.fromPem("\n" + pem + "\n")).isEqualTo(recovery.publicKey());
    assertThatThrownBy(() -> RecoveryPublicKey.fromPem("-----BEGIN PUBLIC KEY-----x"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void nothingPrintsKeyMaterialOrShares() {
    RecoveryPrivateKey key = RecoveryKeys.restore(custodians(1, 2, 3));
    String share = recovery.shares().get(0).encode();

    for (String text :
        List.of(
            key.toString(),
            recovery.toString(),
            recovery.shares().toString(),
            recovery.publicKey().toString())) {
      assertThat(text).doesNotContain(share.substring(20, 60));
      assertThat(text).doesNotContain("MII");
    }
    assertThat(key.toString()).contains("REDACTED");
    assertThat(recovery.publicKey().toString()).contains("3072 bits");
    assertThat(Base64.getEncoder().encodeToString(recovery.publicKey().encoded()))
        .startsWith("MII");
  }

  /** The shares of the given custodians (1-based), each through its text form. */
  private static List<SecretShare> custodians(int... which) {
    return java.util.Arrays.stream(which)
        .mapToObj(i -> SecretShare.decode(recovery.shares().get(i - 1).encode()))
        .toList();
  }

  private static EnvelopeSecretCrypto crypto(RootOfTrust roots) {
    return new EnvelopeSecretCrypto(roots, Duration.ofMinutes(5), NonceBudget.withDefaults());
  }
}
