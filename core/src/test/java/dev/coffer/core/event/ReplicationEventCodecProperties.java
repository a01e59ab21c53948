package dev.coffer.core.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.core.crypto.FakeVaultKeys;
import dev.coffer.core.crypto.SealedSecret;
import dev.coffer.core.crypto.VaultKeyRing;
import dev.coffer.core.crypto.WrappedVaultKey;
import dev.coffer.core.model.ModelArbitraries;
import dev.coffer.core.model.SecretName;
import dev.coffer.core.model.StageMap;
import dev.coffer.core.model.VaultName;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

class ReplicationEventCodecProperties {

  @Property(tries = 500)
  void decodeInvertsEncode(@ForAll("events") ReplicationEvent event) {
    ReplicationEvent decoded = ReplicationEventCodec.decode(ReplicationEventCodec.encode(event));

    assertSameEvent(decoded, event);
    assertThat(decoded).isEqualTo(event);
  }

  @Property(tries = 200)
  void encodingIsDeterministic(@ForAll("events") ReplicationEvent event) {
    byte[] encoded = ReplicationEventCodec.encode(event);

    assertThat(ReplicationEventCodec.encode(ReplicationEventCodec.decode(encoded)))
        .isEqualTo(encoded);
  }

  @Property(tries = 200)
  void everyTruncationIsRejected(@ForAll("events") ReplicationEvent event) {
    byte[] encoded = ReplicationEventCodec.encode(event);
    for (int length = 0; length < encoded.length; length++) {
      byte[] prefix = Arrays.copyOf(encoded, length);
      assertThatThrownBy(() -> ReplicationEventCodec.decode(prefix))
          .as("prefix of %d of %d bytes", length, encoded.length)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Property(tries = 200)
  void trailingBytesAreRejected(
      @ForAll("events") ReplicationEvent event, @ForAll("someBytes") byte[] trailer) {
    byte[] encoded = ReplicationEventCodec.encode(event);
    byte[] longer = Arrays.copyOf(encoded, encoded.length + 1 + trailer.length);
    System.arraycopy(trailer, 0, longer, encoded.length + 1, trailer.length);

    assertThatThrownBy(() -> ReplicationEventCodec.decode(longer))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Property(tries = 200)
  void aChangedFormatByteIsRejected(@ForAll("events") ReplicationEvent event, @ForAll byte format) {
    byte[] encoded = ReplicationEventCodec.encode(event);
    if (format == encoded[0]) {
      return;
    }
    encoded[0] = format;

    assertThatThrownBy(() -> ReplicationEventCodec.decode(encoded))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("format");
  }

  @Property(tries = 100)
  void anUnknownKindIsRejected(
      @ForAll("events") ReplicationEvent event, @ForAll("unknownKinds") int kind) {
    byte[] encoded = ReplicationEventCodec.encode(event);
    encoded[1] = (byte) kind;

    assertThatThrownBy(() -> ReplicationEventCodec.decode(encoded))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("kind");
  }

  /** Random and mutated bytes: an event or an IllegalArgumentException, never anything else. */
  @Property(tries = 1000)
  void decodeOfArbitraryBytesFailsOnlyWithIllegalArgument(@ForAll("noise") byte[] bytes) {
    ReplicationEvent decoded;
    try {
      decoded = ReplicationEventCodec.decode(bytes);
      Statistics.collect("decoded");
    } catch (IllegalArgumentException expected) {
      Statistics.collect("rejected");
      return;
    } finally {
      Statistics.coverage(coverage -> coverage.check("decoded").percentage(p -> p >= 2));
    }
    assertSameEvent(ReplicationEventCodec.decode(ReplicationEventCodec.encode(decoded)), decoded);
  }

  @Example
  void encodesEachKindUnderItsOwnTag() {
    Instant at = Instant.parse("2030-01-01T00:00:00Z");
    byte[] key = {1, 2, 3};
    VaultName vault = VaultName.of("v");
    SecretName secret = SecretName.of("s");

    assertThat(
            ReplicationEventCodec.encode(
                new VaultCreated(vault, 1, FakeVaultKeys.version(1, key), at)))
        .startsWith(1, 1);
    assertThat(
            ReplicationEventCodec.encode(
                new SecretVersionPut(vault, secret, 1, 1, at, new SealedSecret(key, key))))
        .startsWith(1, 4);
    assertThat(
            ReplicationEventCodec.encode(
                new SecretStagesChanged(vault, secret, 2, new StageMap(1, 0, 0), at)))
        .startsWith(1, 5);
    assertThat(ReplicationEventCodec.encode(new SecretDeleted(vault, secret, 1, at)))
        .startsWith(1, 3);
  }

  /** Puts written before stages existed made their version CURRENT and staged nothing else. */
  @Property(tries = 200)
  void theOldPutEncodingDecodesAsACurrentOnlyPut(@ForAll("puts") SecretVersionPut put) {
    Assume.that(put.version() >= 1);
    ReplicationEvent decoded =
        ReplicationEventCodec.decode(ReplicationEventCodec.encodeLegacyPut(put));

    assertThat(decoded)
        .isEqualTo(
            new SecretVersionPut(
                put.vault(),
                put.secret(),
                put.entityVersion(),
                put.version(),
                put.createdAt(),
                put.sealed(),
                new StageMap(put.version(), 0, 0)));
  }

  @Example
  void aStageMapThatGivesAVersionTwoStagesIsRejected() {
    Instant at = Instant.parse("2030-01-01T00:00:00Z");
    byte[] encoded =
        ReplicationEventCodec.encode(
            new SecretStagesChanged(
                VaultName.of("v"), SecretName.of("s"), 2, new StageMap(1, 2, 0), at));
    // current, previous and pending follow kind, vault "v", secret "s" and the entity version
    int previousAt = 2 + 3 + 3 + 8 + 8;
    encoded[previousAt + 7] = 1;

    assertThatThrownBy(() -> ReplicationEventCodec.decode(encoded))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Example
  void rejectsEmptyInput() {
    assertThatThrownBy(() -> ReplicationEventCodec.decode(new byte[0]))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ReplicationEventCodec.decode(new byte[] {1}))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /** Field by field, so that a broken equals on the byte-holding types could not hide a loss. */
  private static void assertSameEvent(ReplicationEvent actual, ReplicationEvent expected) {
    assertThat(actual).hasSameClassAs(expected);
    assertThat(actual.vault()).isEqualTo(expected.vault());
    assertThat(actual.entityVersion()).isEqualTo(expected.entityVersion());
    assertThat(actual.entity()).isEqualTo(expected.entity());
    if (expected instanceof VaultCreated e) {
      VaultCreated a = (VaultCreated) actual;
      assertThat(a.keys().encode()).isEqualTo(e.keys().encode());
      assertThat(a.createdAt()).isEqualTo(e.createdAt());
    } else if (expected instanceof SecretVersionPut e) {
      SecretVersionPut a = (SecretVersionPut) actual;
      assertThat(a.secret()).isEqualTo(e.secret());
      assertThat(a.version()).isEqualTo(e.version());
      assertThat(a.createdAt()).isEqualTo(e.createdAt());
      assertThat(a.sealed().wrappedDataKey()).isEqualTo(e.sealed().wrappedDataKey());
      assertThat(a.sealed().ciphertext()).isEqualTo(e.sealed().ciphertext());
      assertThat(a.stages()).isEqualTo(e.stages());
    } else if (expected instanceof SecretStagesChanged e) {
      SecretStagesChanged a = (SecretStagesChanged) actual;
      assertThat(a.secret()).isEqualTo(e.secret());
      assertThat(a.stages()).isEqualTo(e.stages());
      assertThat(a.changedAt()).isEqualTo(e.changedAt());
    } else if (expected instanceof SecretDeleted e) {
      SecretDeleted a = (SecretDeleted) actual;
      assertThat(a.secret()).isEqualTo(e.secret());
      assertThat(a.deletedAt()).isEqualTo(e.deletedAt());
    }
  }

  /** Rings of one to three versions, ascending from a random start, with random payloads. */
  private Arbitrary<VaultKeyRing> keyRings() {
    return Combinators.combine(
            Arbitraries.integers().between(1, 1000), someBytes().list().ofMinSize(1).ofMaxSize(3))
        .as(
            (first, payloads) -> {
              List<WrappedVaultKey> versions = new ArrayList<>();
              for (int i = 0; i < payloads.size(); i++) {
                versions.add(FakeVaultKeys.version(first + i, payloads.get(i)));
              }
              return new VaultKeyRing(versions);
            });
  }

  @Provide
  Arbitrary<ReplicationEvent> events() {
    Arbitrary<ReplicationEvent> created =
        Combinators.combine(ModelArbitraries.vaultNames(), longs(), keyRings(), instants())
            .as(
                (vault, entityVersion, keys, at) ->
                    new VaultCreated(vault, entityVersion, keys, at));
    Arbitrary<ReplicationEvent> put = puts().map(p -> p);
    Arbitrary<ReplicationEvent> stagesChanged =
        Combinators.combine(
                ModelArbitraries.vaultNames(),
                ModelArbitraries.secretNames(),
                longs(),
                stageMaps(),
                instants())
            .as(SecretStagesChanged::new);
    Arbitrary<ReplicationEvent> deleted =
        Combinators.combine(
                ModelArbitraries.vaultNames(), ModelArbitraries.secretNames(), longs(), instants())
            .as(SecretDeleted::new);
    return Arbitraries.oneOf(created, put, stagesChanged, deleted);
  }

  @Provide
  Arbitrary<SecretVersionPut> puts() {
    return Combinators.combine(
            ModelArbitraries.vaultNames(),
            ModelArbitraries.secretNames(),
            longs(),
            longs(),
            instants(),
            Combinators.combine(someBytes(), someBytes()).as(SealedSecret::new),
            stageMaps())
        .as(SecretVersionPut::new);
  }

  /** Valid maps: distinct non-zero numbers, any of them possibly 0. */
  private static Arbitrary<StageMap> stageMaps() {
    Arbitrary<Long> number =
        Arbitraries.frequencyOf(
            Tuple.of(1, Arbitraries.just(0L)),
            Tuple.of(3, Arbitraries.longs().between(1, Long.MAX_VALUE)));
    return Combinators.combine(number, number, number)
        .as((c, p, n) -> new long[] {c, p, n})
        .filter(v -> (v[0] == 0 || (v[0] != v[1] && v[0] != v[2])) && (v[1] == 0 || v[1] != v[2]))
        .map(v -> new StageMap(v[0], v[1], v[2]));
  }

  @Provide
  Arbitrary<byte[]> someBytes() {
    return Arbitraries.bytes().array(byte[].class).ofMaxSize(100);
  }

  @Provide
  Arbitrary<Integer> unknownKinds() {
    return Arbitraries.integers().between(0, 255).filter(k -> k < 1 || k > 5);
  }

  /**
   * Mostly mutations of valid encodings (one byte changed, inserted or removed), which get past the
   * header; sometimes a valid header followed by random bytes, or random bytes.
   */
  @Provide
  Arbitrary<byte[]> noise() {
    Arbitrary<byte[]> mutated =
        Combinators.combine(
                events(),
                Arbitraries.integers().between(0, 2),
                Arbitraries.integers().greaterOrEqual(0),
                Arbitraries.bytes())
            .as(
                (event, how, position, value) -> {
                  byte[] encoded = ReplicationEventCodec.encode(event);
                  int at = position % encoded.length;
                  return switch (how) {
                    case 0 -> {
                      encoded[at] = value;
                      yield encoded;
                    }
                    case 1 -> {
                      byte[] out = new byte[encoded.length + 1];
                      System.arraycopy(encoded, 0, out, 0, at);
                      out[at] = value;
                      System.arraycopy(encoded, at, out, at + 1, encoded.length - at);
                      yield out;
                    }
                    default -> {
                      byte[] out = new byte[encoded.length - 1];
                      System.arraycopy(encoded, 0, out, 0, at);
                      System.arraycopy(encoded, at + 1, out, at, encoded.length - at - 1);
                      yield out;
                    }
                  };
                });
    Arbitrary<byte[]> validHeader =
        Combinators.combine(Arbitraries.integers().between(0, 6), someBytes())
            .as(
                (kind, rest) -> {
                  byte[] out = new byte[2 + rest.length];
                  out[0] = 1;
                  out[1] = (byte) (int) kind;
                  System.arraycopy(rest, 0, out, 2, rest.length);
                  return out;
                });
    return Arbitraries.frequencyOf(
        Tuple.of(6, mutated), Tuple.of(3, validHeader), Tuple.of(1, someBytes()));
  }

  private static Arbitrary<Long> longs() {
    return Arbitraries.longs();
  }

  private static Arbitrary<Instant> instants() {
    return Combinators.combine(
            Arbitraries.longs().between(Instant.MIN.getEpochSecond(), Instant.MAX.getEpochSecond()),
            Arbitraries.integers().between(0, 999_999_999))
        .as(Instant::ofEpochSecond);
  }
}
