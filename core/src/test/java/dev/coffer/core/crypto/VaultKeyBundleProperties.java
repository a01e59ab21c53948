package dev.coffer.core.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.coffer.core.testing.Falsification;
import dev.coffer.core.testing.Generators;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.quicktheories.QuickTheory;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

class VaultKeyBundleProperties {

  @Test
  void decodeInvertsEncode() {
    roundTripHolds(qt(), bundle -> VaultKeyBundle.decode(bundle.encode()));
  }

  /** The round trip property refutes a codec that loses the last wrapping's key version. */
  @Test
  void theRoundTripCatchesACodecThatDropsAField() {
    String report =
        Falsification.assertFalsified(
            () ->
                roundTripHolds(
                    qt().withShrinkCycles(Falsification.SHRINK_CYCLES),
                    bundle -> {
                      VaultKeyBundle decoded = VaultKeyBundle.decode(bundle.encode());
                      List<VaultKeyBundle.Wrapping> wrappings = new java.util.ArrayList<>();
                      for (VaultKeyBundle.Wrapping w : decoded.wrappings()) {
                        RootWrapping r = w.wrapping();
                        wrappings.add(
                            new VaultKeyBundle.Wrapping(
                                w.kind(),
                                new RootWrapping(new KeyRef(r.rootKey().id(), 0), r.bytes())));
                      }
                      return new VaultKeyBundle(decoded.version(), List.copyOf(wrappings));
                    }));

    assertThat(report).contains("VaultKeyBundle");
  }

  private static void roundTripHolds(QuickTheory theory, UnaryOperator<VaultKeyBundle> roundTrip) {
    theory
        .withExamples(300)
        .forAll(bundles())
        .checkAssert(bundle -> roundTripHolds(bundle, roundTrip));
  }

  private static void roundTripHolds(
      VaultKeyBundle bundle, UnaryOperator<VaultKeyBundle> roundTrip) {
    VaultKeyBundle decoded = roundTrip.apply(bundle);

    assertThat(decoded).isEqualTo(bundle);
    assertThat(new WrappedVaultKey(bundle.encode()).version()).isEqualTo(bundle.version());
    assertThat(new WrappedVaultKey(bundle.encode()).wrappedBy())
        .containsExactlyElementsOf(
            bundle.wrappings().stream().map(w -> w.wrapping().rootKey()).toList());
  }

  @Test
  void everyTruncationIsRejected() {
    qt().withExamples(200)
        .forAll(bundles())
        .checkAssert(VaultKeyBundleProperties::everyTruncationIsRejected);
  }

  private static void everyTruncationIsRejected(VaultKeyBundle bundle) {
    byte[] encoded = bundle.encode();
    for (int length = 0; length < encoded.length; length++) {
      byte[] prefix = Arrays.copyOf(encoded, length);
      assertThatThrownBy(() -> VaultKeyBundle.decode(prefix))
          .isInstanceOf(IllegalArgumentException.class);
    }
    byte[] longer = Arrays.copyOf(encoded, encoded.length + 1);
    assertThatThrownBy(() -> VaultKeyBundle.decode(longer))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /** Any bytes: a bundle or an IllegalArgumentException, and nothing else. */
  @Test
  void decodeOfMutatedBytesFailsOnlyWithIllegalArgument() {
    qt().withExamples(1000)
        .forAll(bundles(), integers().all(), Generators.anyByte())
        .checkAssert(
            (bundle, position, value) -> {
              byte[] bytes = bundle.encode();
              bytes[Math.floorMod(position, bytes.length)] = value;
              try {
                VaultKeyBundle.decode(bytes);
              } catch (IllegalArgumentException expected) {
                // Rejected, as it may be.
              }
            });
  }

  @Test
  void toStringShowsNoWrappedBytes() {
    qt().withExamples(100)
        .forAll(bundles())
        .checkAssert(VaultKeyBundleProperties::toStringShowsNoWrappedBytes);
  }

  private static void toStringShowsNoWrappedBytes(VaultKeyBundle bundle) {
    for (VaultKeyBundle.Wrapping w : bundle.wrappings()) {
      byte[] bytes = w.wrapping().bytes();
      if (bytes.length >= 8) {
        assertThat(bundle.toString())
            .doesNotContain(java.util.HexFormat.of().formatHex(bytes, 0, 8))
            .doesNotContain(java.util.Base64.getEncoder().encodeToString(bytes));
      }
    }
  }

  static Gen<VaultKeyBundle> bundles() {
    Gen<String> ids =
        Generators.stringsOf(
            Generators.range('a', 'z')
                + Generators.range('A', 'Z')
                + Generators.range('0', '9')
                + "-/",
            1,
            40);
    Gen<VaultKeyBundle.Wrapping> wrappings =
        Generate.enumValues(VaultKeyBundle.Kind.class)
            .zip(
                ids,
                Generators.nonNegativeInts(),
                Generators.bytes(0, 400),
                (kind, id, version, bytes) ->
                    new VaultKeyBundle.Wrapping(
                        kind, new RootWrapping(new KeyRef(id, version), bytes)));
    return Generators.positiveInts()
        .zip(
            lists().of(wrappings).ofSizeBetween(1, 4),
            (version, list) -> new VaultKeyBundle(version, List.copyOf(list)));
  }
}
