package dev.coffer.core.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

class VaultKeyBundleProperties {

  @Property(tries = 300)
  void decodeInvertsEncode(@ForAll("bundles") VaultKeyBundle bundle) {
    VaultKeyBundle decoded = VaultKeyBundle.decode(bundle.encode());

    assertThat(decoded).isEqualTo(bundle);
    assertThat(new WrappedVaultKey(bundle.encode()).version()).isEqualTo(bundle.version());
    assertThat(new WrappedVaultKey(bundle.encode()).wrappedBy())
        .containsExactlyElementsOf(
            bundle.wrappings().stream().map(w -> w.wrapping().rootKey()).toList());
  }

  @Property(tries = 200)
  void everyTruncationIsRejected(@ForAll("bundles") VaultKeyBundle bundle) {
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
  @Property(tries = 1000)
  void decodeOfMutatedBytesFailsOnlyWithIllegalArgument(
      @ForAll("bundles") VaultKeyBundle bundle, @ForAll int position, @ForAll byte value) {
    byte[] bytes = bundle.encode();
    bytes[Math.floorMod(position, bytes.length)] = value;
    try {
      VaultKeyBundle.decode(bytes);
      Statistics.collect("decoded");
    } catch (IllegalArgumentException expected) {
      Statistics.collect("rejected");
    }
  }

  @Property(tries = 100)
  void toStringShowsNoWrappedBytes(@ForAll("bundles") VaultKeyBundle bundle) {
    for (VaultKeyBundle.Wrapping w : bundle.wrappings()) {
      byte[] bytes = w.wrapping().bytes();
      if (bytes.length >= 8) {
        assertThat(bundle.toString())
            .doesNotContain(java.util.HexFormat.of().formatHex(bytes, 0, 8))
            .doesNotContain(java.util.Base64.getEncoder().encodeToString(bytes));
      }
    }
  }

  @Provide
  Arbitrary<VaultKeyBundle> bundles() {
    Arbitrary<VaultKeyBundle.Wrapping> wrappings =
        Combinators.combine(
                Arbitraries.of(VaultKeyBundle.Kind.class),
                Arbitraries.strings()
                    .alpha()
                    .numeric()
                    .withChars('-', '/')
                    .ofMinLength(1)
                    .ofMaxLength(40),
                Arbitraries.integers().greaterOrEqual(0),
                Arbitraries.bytes().array(byte[].class).ofMinSize(0).ofMaxSize(400))
            .as(
                (kind, id, version, bytes) ->
                    new VaultKeyBundle.Wrapping(
                        kind, new RootWrapping(new KeyRef(id, version), bytes)));
    return Combinators.combine(
            Arbitraries.integers().greaterOrEqual(1), wrappings.list().ofMinSize(1).ofMaxSize(4))
        .as((version, list) -> new VaultKeyBundle(version, List.copyOf(list)));
  }
}
