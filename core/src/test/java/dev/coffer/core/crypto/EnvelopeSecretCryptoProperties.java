package dev.coffer.core.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.coffer.core.error.CofferException;
import dev.coffer.core.error.ErrorCode;
import dev.coffer.core.model.ModelGenerators;
import dev.coffer.core.model.SecretName;
import dev.coffer.core.model.SecretValue;
import dev.coffer.core.model.VaultName;
import dev.coffer.core.testing.Generators;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * Envelope encryption end to end: values round-trip, and any change to the stored bytes, to where
 * they are stored (vault, secret, version) or to the key hierarchy makes them undecryptable.
 */
class EnvelopeSecretCryptoProperties {
  private static final String ROOT_KEY = LocalRootKeyProvider.generateBase64Key();
  private static final LocalRootKeyProvider ROOT =
      LocalRootKeyProvider.fromBase64("root-1", ROOT_KEY);
  private static final EnvelopeSecretCrypto CRYPTO =
      new EnvelopeSecretCrypto(ROOT, Duration.ofMinutes(5));

  private static final VaultName VAULT = VaultName.of("payments");
  private static final SecretName SECRET = SecretName.of("db-password");
  private static final SecretIdentity IDENTITY = new SecretIdentity(VAULT, SECRET, 1);

  @Test
  void openInvertsSeal() {
    qt().withExamples(60)
        .forAll(identities(), Generate.range(1, 65536), longs().all())
        .checkAssert(EnvelopeSecretCryptoProperties::openInvertsSeal);
  }

  private static void openInvertsSeal(SecretIdentity identity, int size, long seed) {
    byte[] plaintext = randomBytes(size, seed);
    WrappedVaultKey vaultKey = CRYPTO.newVaultKey(identity.vault());

    SealedSecret sealed = CRYPTO.seal(identity, vaultKey, SecretValue.ofBytes(plaintext.clone()));

    assertThat(CRYPTO.open(identity, vaultKey, sealed).copyBytes()).isEqualTo(plaintext);
    // A fresh instance (cold cache) opens it too: nothing depends on in-memory state.
    assertThat(
            new EnvelopeSecretCrypto(ROOT, Duration.ofMinutes(1)).open(identity, vaultKey, sealed))
        .isEqualTo(SecretValue.ofBytes(plaintext.clone()));
  }

  @Test
  void roundTripsAtTheSizeLimits() {
    WrappedVaultKey vaultKey = CRYPTO.newVaultKey(VAULT);
    for (int size : new int[] {1, 15, 16, 17, 65535, 65536}) {
      byte[] plaintext = randomBytes(size, size);
      SealedSecret sealed = CRYPTO.seal(IDENTITY, vaultKey, SecretValue.ofBytes(plaintext.clone()));
      assertThat(CRYPTO.open(IDENTITY, vaultKey, sealed).copyBytes()).isEqualTo(plaintext);
    }
  }

  @Test
  void flippingAnyBitOfTheStoredBytesFails() {
    qt().withExamples(100)
        .forAll(
            Generate.range(1, 2048),
            longs().all(),
            Generate.booleans(),
            Generators.nonNegativeInts())
        .checkAssert(EnvelopeSecretCryptoProperties::flippingAnyBitOfTheStoredBytesFails);
  }

  private static void flippingAnyBitOfTheStoredBytesFails(
      int size, long seed, boolean inWrappedDataKey, int position) {
    WrappedVaultKey vaultKey = CRYPTO.newVaultKey(VAULT);
    SealedSecret sealed =
        CRYPTO.seal(IDENTITY, vaultKey, SecretValue.ofBytes(randomBytes(size, seed)));
    byte[] wrappedDataKey = sealed.wrappedDataKey();
    byte[] ciphertext = sealed.ciphertext();
    byte[] target = inWrappedDataKey ? wrappedDataKey : ciphertext;
    int bit = position % (target.length * 8);
    target[bit / 8] ^= (byte) (1 << (bit % 8));

    assertDecryptionFails(
        () -> CRYPTO.open(IDENTITY, vaultKey, new SealedSecret(wrappedDataKey, ciphertext)));
  }

  /** Exhaustive over a small secret: every bit of both stored byte arrays, header included. */
  @Test
  void flippingEachBitOfASmallSecretFails() {
    WrappedVaultKey vaultKey = CRYPTO.newVaultKey(VAULT);
    SealedSecret sealed = CRYPTO.seal(IDENTITY, vaultKey, SecretValue.ofUtf8("s3cret"));
    byte[] wrappedDataKey = sealed.wrappedDataKey();
    byte[] ciphertext = sealed.ciphertext();

    for (int bit = 0; bit < wrappedDataKey.length * 8; bit++) {
      byte[] tampered = flip(wrappedDataKey, bit);
      int at = bit;
      assertDecryptionFails(
          () -> CRYPTO.open(IDENTITY, vaultKey, new SealedSecret(tampered, ciphertext)),
          "bit " + at + " of the wrapped data key");
    }
    for (int bit = 0; bit < ciphertext.length * 8; bit++) {
      byte[] tampered = flip(ciphertext, bit);
      int at = bit;
      assertDecryptionFails(
          () -> CRYPTO.open(IDENTITY, vaultKey, new SealedSecret(wrappedDataKey, tampered)),
          "bit " + at + " of the ciphertext");
    }
  }

  @Test
  void flippingEachBitOfTheWrappedVaultKeyFails() {
    WrappedVaultKey vaultKey = CRYPTO.newVaultKey(VAULT);
    SealedSecret sealed = CRYPTO.seal(IDENTITY, vaultKey, SecretValue.ofUtf8("s3cret"));
    byte[] wrapped = vaultKey.bytes();

    for (int bit = 0; bit < wrapped.length * 8; bit++) {
      WrappedVaultKey tampered = new WrappedVaultKey(flip(wrapped, bit));
      assertDecryptionFails(() -> CRYPTO.open(IDENTITY, tampered, sealed));
    }
  }

  /**
   * The move-integrity attack (as in HashiCorp Vault's TestAESGCMBarrier_MoveIntegrity): a sealed
   * secret copied to another version, secret or vault must not decrypt there.
   */
  @Test
  void aSealedSecretDoesNotOpenUnderAnotherIdentity() {
    qt().withExamples(100)
        .forAll(identities(), identities())
        .checkAssert(EnvelopeSecretCryptoProperties::aSealedSecretDoesNotOpenUnderAnotherIdentity);
  }

  private static void aSealedSecretDoesNotOpenUnderAnotherIdentity(
      SecretIdentity original, SecretIdentity moved) {
    if (original.equals(moved)) {
      return;
    }
    WrappedVaultKey vaultKey = CRYPTO.newVaultKey(original.vault());
    SealedSecret sealed = CRYPTO.seal(original, vaultKey, SecretValue.ofUtf8("s3cret"));

    assertDecryptionFails(() -> CRYPTO.open(moved, vaultKey, sealed));
  }

  @Test
  void aSealedSecretDoesNotOpenAsAnotherVersionSecretOrVault() {
    WrappedVaultKey vaultKey = CRYPTO.newVaultKey(VAULT);
    SealedSecret sealed = CRYPTO.seal(IDENTITY, vaultKey, SecretValue.ofUtf8("s3cret"));

    assertDecryptionFails(
        () -> CRYPTO.open(new SecretIdentity(VAULT, SECRET, 2), vaultKey, sealed));
    assertDecryptionFails(
        () ->
            CRYPTO.open(
                new SecretIdentity(VAULT, SecretName.of("db-password2"), 1), vaultKey, sealed));
    assertDecryptionFails(
        () ->
            CRYPTO.open(
                new SecretIdentity(VaultName.of("payments-2"), SECRET, 1), vaultKey, sealed));
    // Swapping the two halves of two secrets of the same vault fails as well.
    SealedSecret other =
        CRYPTO.seal(new SecretIdentity(VAULT, SECRET, 2), vaultKey, SecretValue.ofUtf8("s3cret"));
    assertDecryptionFails(
        () ->
            CRYPTO.open(
                IDENTITY, vaultKey, new SealedSecret(other.wrappedDataKey(), sealed.ciphertext())));
  }

  /** A vault key only unwraps for the vault it was made for, whether or not it is cached. */
  @Test
  void aVaultKeyOfVaultADoesNotWorkInVaultB() {
    VaultName a = VaultName.of("vault-a");
    VaultName b = VaultName.of("vault-b");
    WrappedVaultKey keyOfA = CRYPTO.newVaultKey(a);
    SecretIdentity inA = new SecretIdentity(a, SECRET, 1);
    SecretIdentity inB = new SecretIdentity(b, SECRET, 1);

    // Cold: nothing cached yet.
    EnvelopeSecretCrypto cold = new EnvelopeSecretCrypto(ROOT, Duration.ofMinutes(5));
    assertDecryptionFails(() -> cold.seal(inB, keyOfA, SecretValue.ofUtf8("s3cret")));

    // Warm: the key has just been used, legitimately, for vault A.
    SealedSecret sealedInA = CRYPTO.seal(inA, keyOfA, SecretValue.ofUtf8("s3cret"));
    assertThat(CRYPTO.open(inA, keyOfA, sealedInA).asUtf8()).contains("s3cret");
    assertDecryptionFails(() -> CRYPTO.seal(inB, keyOfA, SecretValue.ofUtf8("s3cret")));
    assertDecryptionFails(() -> CRYPTO.open(inB, keyOfA, sealedInA));
  }

  @Test
  void anotherRootKeyCannotOpenAndSaysNothingAboutKeys() {
    WrappedVaultKey vaultKey = CRYPTO.newVaultKey(VAULT);
    SealedSecret sealed = CRYPTO.seal(IDENTITY, vaultKey, SecretValue.ofUtf8("s3cret"));
    String sameIdKey = LocalRootKeyProvider.generateBase64Key();
    String otherIdKey = LocalRootKeyProvider.generateBase64Key();
    EnvelopeSecretCrypto sameKeyId =
        new EnvelopeSecretCrypto(
            LocalRootKeyProvider.fromBase64("root-1", sameIdKey), Duration.ofMinutes(5));
    EnvelopeSecretCrypto otherKeyId =
        new EnvelopeSecretCrypto(
            LocalRootKeyProvider.fromBase64("root-2", otherIdKey), Duration.ofMinutes(5));

    for (CofferException e :
        new CofferException[] {
          assertDecryptionFails(() -> sameKeyId.open(IDENTITY, vaultKey, sealed)),
          assertDecryptionFails(() -> otherKeyId.open(IDENTITY, vaultKey, sealed))
        }) {
      assertThat(e.getMessage())
          .doesNotContain(ROOT_KEY)
          .doesNotContain(sameIdKey)
          .doesNotContain(otherIdKey)
          .doesNotContain(Base64.getEncoder().encodeToString(vaultKey.bytes()))
          .doesNotContain(HexFormat.of().formatHex(vaultKey.bytes()).substring(0, 16))
          .doesNotContain("s3cret");
    }
  }

  @Test
  void sealingTheSameValueTwiceGivesDifferentBytes() {
    WrappedVaultKey vaultKey = CRYPTO.newVaultKey(VAULT);

    SealedSecret first = CRYPTO.seal(IDENTITY, vaultKey, SecretValue.ofUtf8("s3cret"));
    SealedSecret second = CRYPTO.seal(IDENTITY, vaultKey, SecretValue.ofUtf8("s3cret"));

    assertThat(first.wrappedDataKey()).isNotEqualTo(second.wrappedDataKey());
    assertThat(first.ciphertext()).isNotEqualTo(second.ciphertext());
    assertThat(Envelope.decode(first.ciphertext()).nonce())
        .isNotEqualTo(Envelope.decode(second.ciphertext()).nonce());
    assertThat(Envelope.decode(first.wrappedDataKey()).nonce())
        .isNotEqualTo(Envelope.decode(second.wrappedDataKey()).nonce());
    assertThat(CRYPTO.open(IDENTITY, vaultKey, first))
        .isEqualTo(CRYPTO.open(IDENTITY, vaultKey, second));
  }

  @Test
  void newVaultKeysDifferAndHideThePlaintext() {
    WrappedVaultKey first = CRYPTO.newVaultKey(VAULT);
    WrappedVaultKey second = CRYPTO.newVaultKey(VAULT);

    assertThat(first).isNotEqualTo(second);
    assertThat(first.toString()).doesNotContain(HexFormat.of().formatHex(first.bytes()));
    // Each opens only what it sealed.
    SealedSecret sealed = CRYPTO.seal(IDENTITY, first, SecretValue.ofUtf8("s3cret"));
    assertDecryptionFails(() -> CRYPTO.open(IDENTITY, second, sealed));
  }

  @Test
  void theCiphertextDoesNotContainThePlaintext() {
    byte[] plaintext = "zq7x-plaintext-marker-zq7x".repeat(4).getBytes(StandardCharsets.UTF_8);
    SealedSecret sealed =
        CRYPTO.seal(IDENTITY, CRYPTO.newVaultKey(VAULT), SecretValue.ofBytes(plaintext.clone()));

    assertThat(HexFormat.of().formatHex(sealed.ciphertext()))
        .doesNotContain(HexFormat.of().formatHex(plaintext, 0, 8));
    assertThat(sealed.toString()).doesNotContain("zq7x");
    assertThat(CRYPTO.toString()).contains("root-1").doesNotContain(ROOT_KEY);
  }

  /** Wrong key: another vault key of the same vault, of the same or another version. */
  @Test
  void anotherVaultKeyOfTheSameVaultCannotOpen() {
    qt().withExamples(50)
        .forAll(identities(), Generate.range(1, 3))
        .checkAssert(EnvelopeSecretCryptoProperties::anotherVaultKeyOfTheSameVaultCannotOpen);
  }

  private static void anotherVaultKeyOfTheSameVaultCannotOpen(
      SecretIdentity identity, int version) {
    WrappedVaultKey vaultKey = CRYPTO.newVaultKey(identity.vault());
    WrappedVaultKey other = CRYPTO.newVaultKey(identity.vault(), version);
    SealedSecret sealed = CRYPTO.seal(identity, vaultKey, SecretValue.ofUtf8("s3cret"));

    assertDecryptionFails(() -> CRYPTO.open(identity, other, sealed));
  }

  /**
   * The realistic move: a sealed secret copied into another vault's row is opened there with that
   * vault's own key, and must fail.
   */
  @Test
  void aSealedSecretCopiedIntoAnotherVaultsRowDoesNotOpenThere() {
    qt().withExamples(50)
        .forAll(identities(), identities())
        .checkAssert(
            EnvelopeSecretCryptoProperties
                ::aSealedSecretCopiedIntoAnotherVaultsRowDoesNotOpenThere);
  }

  private static void aSealedSecretCopiedIntoAnotherVaultsRowDoesNotOpenThere(
      SecretIdentity original, SecretIdentity moved) {
    if (original.equals(moved)) {
      return;
    }
    WrappedVaultKey keyOfOriginal = CRYPTO.newVaultKey(original.vault());
    WrappedVaultKey keyOfMoved = CRYPTO.newVaultKey(moved.vault());
    SealedSecret sealed = CRYPTO.seal(original, keyOfOriginal, SecretValue.ofUtf8("s3cret"));

    assertDecryptionFails(() -> CRYPTO.open(moved, keyOfMoved, sealed));
  }

  @Test
  void ciphertextsNameTheirKeysAndVersions() {
    WrappedVaultKey v1 = CRYPTO.newVaultKey(VAULT);
    WrappedVaultKey v2 = CRYPTO.newVaultKey(VAULT, 2);
    SealedSecret sealed = CRYPTO.seal(IDENTITY, v2, SecretValue.ofUtf8("s3cret"));

    assertThat(v2.version()).isEqualTo(2);
    assertThat(v2.wrappedBy()).containsExactly(new KeyRef("root-1", 1));
    assertThat(sealed.vaultKeyVersion()).isEqualTo(2);
    assertThat(Envelope.decode(sealed.wrappedDataKey()).key())
        .isEqualTo(new KeyRef("vault/payments", 2));
    assertThat(Envelope.decode(sealed.ciphertext()).key()).isEqualTo(new KeyRef("data", 1));
    assertThat(CRYPTO.open(IDENTITY, v2, sealed).asUtf8()).contains("s3cret");
    assertThat(assertDecryptionFails(() -> CRYPTO.open(IDENTITY, v1, sealed)).getMessage())
        .contains("vault key version 2")
        .contains("version 1 given");
  }

  /** Changing only the version a wrapped data key claims fails, even with that version's key. */
  @Test
  void aRelabelledWrappedDataKeyFails() {
    WrappedVaultKey v1 = CRYPTO.newVaultKey(VAULT);
    SealedSecret sealed = CRYPTO.seal(IDENTITY, v1, SecretValue.ofUtf8("s3cret"));
    Envelope envelope = Envelope.decode(sealed.wrappedDataKey());
    byte[] relabelled =
        new Envelope(envelope.keyId(), 2, envelope.nonce(), envelope.ciphertext()).encode();
    // The same vault key bytes presented as version 2.
    VaultKeyBundle bundle = v1.bundle();
    WrappedVaultKey v1AsV2 =
        new WrappedVaultKey(new VaultKeyBundle(2, bundle.wrappings()).encode());

    assertDecryptionFails(
        () -> CRYPTO.open(IDENTITY, v1AsV2, new SealedSecret(relabelled, sealed.ciphertext())));
    assertDecryptionFails(
        () -> CRYPTO.open(IDENTITY, v1, new SealedSecret(relabelled, sealed.ciphertext())));
  }

  /**
   * Vault key rotation: a rewrapped data key opens under the new version only, and the value's
   * ciphertext is the same bytes, so a rewrap never re-encrypts or exposes the value.
   */
  @Test
  void aRewrappedDataKeyOpensUnderTheNewVersionOnly() {
    qt().withExamples(40)
        .forAll(identities(), Generate.range(1, 4096), longs().all())
        .checkAssert(EnvelopeSecretCryptoProperties::aRewrappedDataKeyOpensUnderTheNewVersionOnly);
  }

  private static void aRewrappedDataKeyOpensUnderTheNewVersionOnly(
      SecretIdentity identity, int size, long seed) {
    byte[] plaintext = randomBytes(size, seed);
    WrappedVaultKey v1 = CRYPTO.newVaultKey(identity.vault(), 1);
    WrappedVaultKey v2 = CRYPTO.newVaultKey(identity.vault(), 2);
    SealedSecret sealed = CRYPTO.seal(identity, v1, SecretValue.ofBytes(plaintext.clone()));

    SealedSecret rewrapped = CRYPTO.rewrapDataKey(identity, v1, v2, sealed);

    assertThat(rewrapped.vaultKeyVersion()).isEqualTo(2);
    assertThat(rewrapped.ciphertext()).isEqualTo(sealed.ciphertext());
    assertThat(CRYPTO.open(identity, v2, rewrapped).copyBytes()).isEqualTo(plaintext);
    assertDecryptionFails(() -> CRYPTO.open(identity, v1, rewrapped), "old version");
    // The copy under the old version is untouched: readers holding it keep working.
    assertThat(CRYPTO.open(identity, v1, sealed).copyBytes()).isEqualTo(plaintext);
  }

  @Test
  void aRewrapRefusesAnotherIdentityOrTheWrongSourceVersion() {
    qt().withExamples(40)
        .forAll(identities(), identities())
        .checkAssert(
            EnvelopeSecretCryptoProperties::aRewrapRefusesAnotherIdentityOrTheWrongSourceVersion);
  }

  private static void aRewrapRefusesAnotherIdentityOrTheWrongSourceVersion(
      SecretIdentity original, SecretIdentity moved) {
    WrappedVaultKey v1 = CRYPTO.newVaultKey(original.vault(), 1);
    WrappedVaultKey v2 = CRYPTO.newVaultKey(original.vault(), 2);
    SealedSecret sealed = CRYPTO.seal(original, v1, SecretValue.ofUtf8("rotate me"));

    assertDecryptionFails(
        () -> CRYPTO.rewrapDataKey(original, v2, v2, sealed), "sealed under another version");
    if (!moved.equals(original)) {
      WrappedVaultKey movedV1 = CRYPTO.newVaultKey(moved.vault(), 1);
      WrappedVaultKey movedV2 = CRYPTO.newVaultKey(moved.vault(), 2);
      assertDecryptionFails(
          () -> CRYPTO.rewrapDataKey(moved, movedV1, movedV2, sealed), "moved to " + moved);
    }
  }

  /** Random identities, and often ones that differ from another only by a little. */
  private static Gen<SecretIdentity> identities() {
    Gen<VaultName> vaults =
        Generate.oneOf(
            ModelGenerators.vaultNames(),
            Generate.pick(List.of(VAULT, VaultName.of("payments-2"))));
    Gen<SecretName> secrets =
        Generate.oneOf(
            ModelGenerators.secretNames(), Generate.pick(List.of(SECRET, SecretName.of("db"))));
    Gen<Long> versions =
        Generate.oneOf(Generate.longRange(1, 3), Generate.longRange(1, Long.MAX_VALUE));
    return vaults.zip(secrets, versions, SecretIdentity::new);
  }

  private static CofferException assertDecryptionFails(Supplier<?> attempt) {
    return assertDecryptionFails(attempt, "");
  }

  private static CofferException assertDecryptionFails(Supplier<?> attempt, String what) {
    Object result;
    try {
      result = attempt.get();
    } catch (CofferException e) {
      assertThat(e.code()).as(what).isEqualTo(ErrorCode.DECRYPTION_FAILED);
      return e;
    }
    throw new AssertionError("expected DECRYPTION_FAILED (" + what + "), got " + result);
  }

  private static byte[] flip(byte[] bytes, int bit) {
    byte[] out = bytes.clone();
    out[bit / 8] ^= (byte) (1 << (bit % 8));
    return out;
  }

  private static byte[] randomBytes(int size, long seed) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }
}
