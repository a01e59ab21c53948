package dev.coffer.core.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.coffer.core.error.CofferException;
import dev.coffer.core.error.ErrorCode;
import dev.coffer.core.testing.Falsification;
import dev.coffer.core.testing.Generators;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.quicktheories.QuickTheory;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

class VaultKeyRingProperties {

  @Test
  void decodeInvertsEncode() {
    roundTripHolds(qt(), ring -> VaultKeyRing.decode(ring.encode()));
  }

  /** The round trip property refutes a codec that keeps only the primary version. */
  @Test
  void theRoundTripCatchesACodecThatDropsOldVersions() {
    String report =
        Falsification.assertFalsified(
            () ->
                roundTripHolds(
                    qt().withShrinkCycles(Falsification.SHRINK_CYCLES),
                    ring ->
                        new VaultKeyRing(List.of(VaultKeyRing.decode(ring.encode()).primary()))));

    assertThat(report).contains("VaultKeyRing[");
  }

  private static void roundTripHolds(QuickTheory theory, UnaryOperator<VaultKeyRing> roundTrip) {
    theory.withExamples(300).forAll(rings()).checkAssert(ring -> roundTripHolds(ring, roundTrip));
  }

  private static void roundTripHolds(VaultKeyRing ring, UnaryOperator<VaultKeyRing> roundTrip) {
    VaultKeyRing decoded = roundTrip.apply(ring);

    assertThat(decoded).isEqualTo(ring);
    assertThat(decoded.versionNumbers()).isEqualTo(ring.versionNumbers());
    assertThat(decoded.primary()).isEqualTo(ring.versions().get(ring.versions().size() - 1));
  }

  /** Vaults stored before rotation hold one bare wrapped key; it reads as a ring of one. */
  @Test
  void aSingleStoredKeyDecodesAsARingOfOne() {
    qt().withExamples(100)
        .forAll(versions(), payloads())
        .checkAssert(VaultKeyRingProperties::aSingleStoredKeyDecodesAsARingOfOne);
  }

  private static void aSingleStoredKeyDecodesAsARingOfOne(int version, byte[] payload) {
    WrappedVaultKey key = storedKey(version, payload);

    VaultKeyRing ring = VaultKeyRing.decode(key.bytes());

    assertThat(ring.versions()).containsExactly(key);
    assertThat(ring.primaryVersion()).isEqualTo(version);
  }

  @Test
  void everyTruncationIsRejected() {
    qt().withExamples(100)
        .forAll(rings())
        .checkAssert(VaultKeyRingProperties::everyTruncationIsRejected);
  }

  private static void everyTruncationIsRejected(VaultKeyRing ring) {
    byte[] encoded = ring.encode();
    for (int length = 0; length < encoded.length; length++) {
      byte[] prefix = Arrays.copyOf(encoded, length);
      assertThatThrownBy(() -> VaultKeyRing.decode(prefix))
          .as("prefix of %d of %d bytes", length, encoded.length)
          .isInstanceOfSatisfying(
              CofferException.class,
              e -> assertThat(e.code()).isEqualTo(ErrorCode.DECRYPTION_FAILED));
    }
  }

  @Test
  void aNewPrimaryGoesOnTopAndRetiredVersionsCanLeave() {
    qt().withExamples(100)
        .forAll(rings(), payloads())
        .checkAssert(VaultKeyRingProperties::aNewPrimaryGoesOnTopAndRetiredVersionsCanLeave);
  }

  private static void aNewPrimaryGoesOnTopAndRetiredVersionsCanLeave(
      VaultKeyRing ring, byte[] payload) {
    int next = ring.primaryVersion() + 1;
    VaultKeyRing rotated = ring.withPrimary(storedKey(next, payload));

    assertThat(rotated.primaryVersion()).isEqualTo(next);
    assertThat(rotated.versions()).startsWith(ring.versions().toArray(WrappedVaultKey[]::new));
    for (int retired : ring.versionNumbers()) {
      VaultKeyRing smaller = rotated.without(retired);
      assertThat(smaller.versionNumbers()).doesNotContain(retired);
      assertThat(smaller.primaryVersion()).isEqualTo(next);
      assertThat(smaller.version(retired)).isEmpty();
    }
    assertThatThrownBy(() -> rotated.without(next)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aNewPrimaryMustBeNumberedAboveTheOldOne() {
    qt().withExamples(50)
        .forAll(rings(), payloads())
        .checkAssert(
            (ring, payload) ->
                assertThatThrownBy(
                        () -> ring.withPrimary(storedKey(ring.primaryVersion(), payload)))
                    .isInstanceOf(IllegalArgumentException.class));
  }

  @Test
  void aFullRingRefusesAnotherVersionWithAClearError() {
    List<WrappedVaultKey> versions = new ArrayList<>();
    for (int v = 1; v <= VaultKeyRing.MAX_VERSIONS; v++) {
      versions.add(storedKey(v, new byte[] {(byte) v}));
    }
    VaultKeyRing full = new VaultKeyRing(versions);

    assertThatThrownBy(() -> full.withPrimary(storedKey(256, new byte[] {1})))
        .isInstanceOfSatisfying(
            CofferException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.VAULT_KEY_RING_FULL);
              assertThat(e.getMessage()).contains("destroy retired versions");
            });
  }

  @Test
  void toStringNamesVersionsOnly() {
    VaultKeyRing ring =
        new VaultKeyRing(
            List.of(storedKey(1, new byte[] {42, 42, 42}), storedKey(3, new byte[] {43})));

    assertThat(ring).hasToString("VaultKeyRing[1, 3]");
  }

  /**
   * A vault key version in its stored form with a payload of the test's choosing as its only
   * wrapping; the ring never unwraps, so the payload need not be a real wrapped key.
   */
  private static WrappedVaultKey storedKey(int version, byte[] payload) {
    VaultKeyBundle.Wrapping wrapping =
        new VaultKeyBundle.Wrapping(
            VaultKeyBundle.Kind.ROOT, new RootWrapping(new KeyRef("test-root", 1), payload));
    return new WrappedVaultKey(new VaultKeyBundle(version, List.of(wrapping)).encode());
  }

  private static Gen<Integer> versions() {
    return Generate.range(1, 100_000);
  }

  private static Gen<byte[]> payloads() {
    return Generators.bytes(1, 64);
  }

  private static Gen<VaultKeyRing> rings() {
    return versions()
        .zip(
            lists().of(Generate.range(1, 20)).ofSizeBetween(1, 5),
            payloads(),
            (first, gaps, payload) -> {
              List<WrappedVaultKey> keys = new ArrayList<>();
              int version = first;
              for (int gap : gaps) {
                keys.add(storedKey(version, payload));
                version += gap;
              }
              return new VaultKeyRing(keys);
            });
  }
}
