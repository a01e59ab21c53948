package dev.coffer.core.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.core.error.CofferException;
import dev.coffer.core.error.ErrorCode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class VaultKeyRingProperties {

  @Property(tries = 300)
  void decodeInvertsEncode(@ForAll("rings") VaultKeyRing ring) {
    VaultKeyRing decoded = VaultKeyRing.decode(ring.encode());

    assertThat(decoded).isEqualTo(ring);
    assertThat(decoded.versionNumbers()).isEqualTo(ring.versionNumbers());
    assertThat(decoded.primary()).isEqualTo(ring.versions().get(ring.versions().size() - 1));
  }

  /** Vaults stored before rotation hold one bare wrapped key; it reads as a ring of one. */
  @Property(tries = 100)
  void aSingleStoredKeyDecodesAsARingOfOne(
      @ForAll("versions") int version, @ForAll("payloads") byte[] payload) {
    WrappedVaultKey key = FakeVaultKeys.version(version, payload);

    VaultKeyRing ring = VaultKeyRing.decode(key.bytes());

    assertThat(ring.versions()).containsExactly(key);
    assertThat(ring.primaryVersion()).isEqualTo(version);
  }

  @Property(tries = 100)
  void everyTruncationIsRejected(@ForAll("rings") VaultKeyRing ring) {
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

  @Property(tries = 100)
  void aNewPrimaryGoesOnTopAndRetiredVersionsCanLeave(
      @ForAll("rings") VaultKeyRing ring, @ForAll("payloads") byte[] payload) {
    int next = ring.primaryVersion() + 1;
    VaultKeyRing rotated = ring.withPrimary(FakeVaultKeys.version(next, payload));

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

  @Property(tries = 50)
  void aNewPrimaryMustBeNumberedAboveTheOldOne(
      @ForAll("rings") VaultKeyRing ring, @ForAll("payloads") byte[] payload) {
    assertThatThrownBy(
            () -> ring.withPrimary(FakeVaultKeys.version(ring.primaryVersion(), payload)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Example
  void aFullRingRefusesAnotherVersionWithAClearError() {
    List<WrappedVaultKey> versions = new ArrayList<>();
    for (int v = 1; v <= VaultKeyRing.MAX_VERSIONS; v++) {
      versions.add(FakeVaultKeys.version(v, new byte[] {(byte) v}));
    }
    VaultKeyRing full = new VaultKeyRing(versions);

    assertThatThrownBy(() -> full.withPrimary(FakeVaultKeys.version(256, new byte[] {1})))
        .isInstanceOfSatisfying(
            CofferException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.VAULT_KEY_RING_FULL);
              assertThat(e.getMessage()).contains("destroy retired versions");
            });
  }

  @Example
  void toStringNamesVersionsOnly() {
    VaultKeyRing ring =
        new VaultKeyRing(
            List.of(
                FakeVaultKeys.version(1, new byte[] {42, 42, 42}),
                FakeVaultKeys.version(3, new byte[] {43})));

    assertThat(ring).hasToString("VaultKeyRing[1, 3]");
  }

  @Provide
  Arbitrary<Integer> versions() {
    return Arbitraries.integers().between(1, 100_000);
  }

  @Provide
  Arbitrary<byte[]> payloads() {
    return Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(64);
  }

  @Provide
  Arbitrary<VaultKeyRing> rings() {
    return Combinators.combine(
            versions(),
            Arbitraries.integers().between(1, 20).list().ofMinSize(1).ofMaxSize(5),
            payloads())
        .as(
            (first, gaps, payload) -> {
              List<WrappedVaultKey> keys = new ArrayList<>();
              int version = first;
              for (int gap : gaps) {
                keys.add(FakeVaultKeys.version(version, payload));
                version += gap;
              }
              return new VaultKeyRing(keys);
            });
  }
}
