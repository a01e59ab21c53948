package dev.coffer.core.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.coffer.core.crypto.LocalRootKeyProvider;
import dev.coffer.core.crypto.RootOfTrust;
import dev.coffer.core.crypto.SealedSecret;
import dev.coffer.core.crypto.VaultKeyRing;
import dev.coffer.core.crypto.WrappedVaultKey;
import dev.coffer.core.model.ModelGenerators;
import dev.coffer.core.model.SecretName;
import dev.coffer.core.model.StageMap;
import dev.coffer.core.model.VaultName;
import dev.coffer.core.testing.Falsification;
import dev.coffer.core.testing.Generators;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.quicktheories.QuickTheory;
import org.quicktheories.api.Pair;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

class ReplicationEventCodecProperties {
  /**
   * Vault keys wrapped the way the control plane wraps them, under a root key of this test's: the
   * codec carries them as opaque bytes, so any real wrapping will do.
   */
  private static final RootOfTrust ROOT =
      RootOfTrust.of(
          LocalRootKeyProvider.fromBase64("test-root", LocalRootKeyProvider.generateBase64Key()));

  @Test
  void decodeInvertsEncode() {
    roundTripHolds(
        qt(), event -> ReplicationEventCodec.decode(ReplicationEventCodec.encode(event)));
  }

  /**
   * The round trip property refutes a codec that loses a field: here the nanoseconds of a put's
   * creation time, the kind of loss a millisecond timestamp column would cause.
   */
  @Test
  void theRoundTripCatchesACodecThatDropsAField() {
    String report =
        Falsification.assertFalsified(
            () ->
                roundTripHolds(
                    qt().withShrinkCycles(Falsification.SHRINK_CYCLES),
                    event -> {
                      ReplicationEvent decoded =
                          ReplicationEventCodec.decode(ReplicationEventCodec.encode(event));
                      if (decoded instanceof SecretVersionPut p) {
                        return new SecretVersionPut(
                            p.vault(),
                            p.secret(),
                            p.entityVersion(),
                            p.version(),
                            p.createdAt().truncatedTo(java.time.temporal.ChronoUnit.MILLIS),
                            p.sealed(),
                            p.stages());
                      }
                      return decoded;
                    }));

    assertThat(report).contains("SecretVersionPut");
  }

  private static void roundTripHolds(
      QuickTheory theory, UnaryOperator<ReplicationEvent> roundTrip) {
    theory
        .withExamples(500)
        .forAll(events())
        .checkAssert(
            event -> {
              ReplicationEvent decoded = roundTrip.apply(event);

              assertSameEvent(decoded, event);
              assertThat(decoded).isEqualTo(event);
            });
  }

  @Test
  void encodingIsDeterministic() {
    qt().withExamples(200)
        .forAll(events())
        .checkAssert(ReplicationEventCodecProperties::encodingIsDeterministic);
  }

  private static void encodingIsDeterministic(ReplicationEvent event) {
    byte[] encoded = ReplicationEventCodec.encode(event);

    assertThat(ReplicationEventCodec.encode(ReplicationEventCodec.decode(encoded)))
        .isEqualTo(encoded);
  }

  @Test
  void everyTruncationIsRejected() {
    qt().withExamples(200)
        .forAll(events())
        .checkAssert(ReplicationEventCodecProperties::everyTruncationIsRejected);
  }

  private static void everyTruncationIsRejected(ReplicationEvent event) {
    byte[] encoded = ReplicationEventCodec.encode(event);
    for (int length = 0; length < encoded.length; length++) {
      byte[] prefix = Arrays.copyOf(encoded, length);
      assertThatThrownBy(() -> ReplicationEventCodec.decode(prefix))
          .as("prefix of %d of %d bytes", length, encoded.length)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void trailingBytesAreRejected() {
    qt().withExamples(200)
        .forAll(events(), someBytes())
        .checkAssert(ReplicationEventCodecProperties::trailingBytesAreRejected);
  }

  private static void trailingBytesAreRejected(ReplicationEvent event, byte[] trailer) {
    byte[] encoded = ReplicationEventCodec.encode(event);
    byte[] longer = Arrays.copyOf(encoded, encoded.length + 1 + trailer.length);
    System.arraycopy(trailer, 0, longer, encoded.length + 1, trailer.length);

    assertThatThrownBy(() -> ReplicationEventCodec.decode(longer))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aChangedFormatByteIsRejected() {
    qt().withExamples(200)
        .forAll(events(), Generators.anyByte())
        .checkAssert(ReplicationEventCodecProperties::aChangedFormatByteIsRejected);
  }

  private static void aChangedFormatByteIsRejected(ReplicationEvent event, byte format) {
    byte[] encoded = ReplicationEventCodec.encode(event);
    if (format == encoded[0]) {
      return;
    }
    encoded[0] = format;

    assertThatThrownBy(() -> ReplicationEventCodec.decode(encoded))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("format");
  }

  @Test
  void anUnknownKindIsRejected() {
    qt().withExamples(100)
        .forAll(events(), unknownKinds())
        .checkAssert(ReplicationEventCodecProperties::anUnknownKindIsRejected);
  }

  private static void anUnknownKindIsRejected(ReplicationEvent event, int kind) {
    byte[] encoded = ReplicationEventCodec.encode(event);
    encoded[1] = (byte) kind;

    assertThatThrownBy(() -> ReplicationEventCodec.decode(encoded))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("kind");
  }

  /** Random and mutated bytes: an event or an IllegalArgumentException, never anything else. */
  @Test
  void decodeOfArbitraryBytesFailsOnlyWithIllegalArgument() {
    int tries = 1000;
    AtomicInteger decodedCount = new AtomicInteger();
    qt().withExamples(tries)
        .forAll(noise())
        .checkAssert(
            bytes -> {
              ReplicationEvent decoded;
              try {
                decoded = ReplicationEventCodec.decode(bytes);
              } catch (IllegalArgumentException expected) {
                return;
              }
              decodedCount.incrementAndGet();
              assertSameEvent(
                  ReplicationEventCodec.decode(ReplicationEventCodec.encode(decoded)), decoded);
            });
    assertThat(decodedCount.get()).as("inputs that decoded").isGreaterThanOrEqualTo(tries / 50);
  }

  @Test
  void encodesEachKindUnderItsOwnTag() {
    Instant at = Instant.parse("2030-01-01T00:00:00Z");
    byte[] key = {1, 2, 3};
    VaultName vault = VaultName.of("v");
    SecretName secret = SecretName.of("s");

    assertThat(ReplicationEventCodec.encode(new VaultCreated(vault, 1, wrappedKey(1, key), at)))
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
  @Test
  void theOldPutEncodingDecodesAsACurrentOnlyPut() {
    qt().withExamples(200)
        .forAll(puts(positiveLongs()))
        .checkAssert(ReplicationEventCodecProperties::theOldPutEncodingDecodesAsACurrentOnlyPut);
  }

  private static void theOldPutEncodingDecodesAsACurrentOnlyPut(SecretVersionPut put) {
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

  @Test
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

  @Test
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
  private static Gen<VaultKeyRing> keyRings() {
    return Generate.range(1, 1000)
        .zip(
            lists().of(someBytes()).ofSizeBetween(1, 3),
            (first, payloads) -> {
              List<WrappedVaultKey> versions = new ArrayList<>();
              for (int i = 0; i < payloads.size(); i++) {
                versions.add(wrappedKey(first + i, payloads.get(i)));
              }
              return new VaultKeyRing(versions);
            });
  }

  static Gen<ReplicationEvent> events() {
    Gen<ReplicationEvent> created =
        ModelGenerators.vaultNames()
            .zip(
                longs(),
                keyRings(),
                instants(),
                (vault, entityVersion, keys, at) ->
                    new VaultCreated(vault, entityVersion, keys, at));
    Gen<ReplicationEvent> put = puts().map(p -> p);
    Gen<ReplicationEvent> stagesChanged =
        ModelGenerators.vaultNames()
            .zip(
                ModelGenerators.secretNames(),
                longs(),
                stageMaps(),
                instants(),
                SecretStagesChanged::new);
    Gen<ReplicationEvent> deleted =
        ModelGenerators.vaultNames()
            .zip(ModelGenerators.secretNames(), longs(), instants(), SecretDeleted::new);
    return Generate.oneOf(created, put, stagesChanged, deleted);
  }

  private static Gen<SecretVersionPut> puts() {
    return puts(longs());
  }

  private static Gen<SecretVersionPut> puts(Gen<Long> secretVersions) {
    Gen<SealedSecret> sealed = someBytes().zip(someBytes(), SealedSecret::new);
    Gen<Pair<Long, Long>> versions = longs().zip(secretVersions, Pair::of);
    return ModelGenerators.vaultNames()
        .zip(
            ModelGenerators.secretNames(),
            versions,
            instants(),
            sealed.zip(stageMaps(), Pair::of),
            (vault, secret, v, at, rest) ->
                new SecretVersionPut(vault, secret, v._1, v._2, at, rest._1, rest._2));
  }

  /** Valid maps: distinct non-zero numbers, any of them possibly 0. */
  private static Gen<StageMap> stageMaps() {
    Gen<Long> number =
        Generate.frequency(
            Pair.of(1, Generate.constant(0L)), Pair.of(3, Generate.longRange(1, Long.MAX_VALUE)));
    return number
        .zip(number, number, (c, p, n) -> new long[] {c, p, n})
        .assuming(v -> (v[0] == 0 || (v[0] != v[1] && v[0] != v[2])) && (v[1] == 0 || v[1] != v[2]))
        .map(v -> new StageMap(v[0], v[1], v[2]));
  }

  private static WrappedVaultKey wrappedKey(int version, byte[] vaultKey) {
    return ROOT.wrap(VaultName.of("v"), version, vaultKey);
  }

  private static Gen<byte[]> someBytes() {
    return Generators.bytes(0, 100);
  }

  private static Gen<Integer> unknownKinds() {
    List<Integer> unknown = new ArrayList<>();
    for (int kind = 0; kind <= 255; kind++) {
      if (kind < 1 || kind > 5) {
        unknown.add(kind);
      }
    }
    return Generate.pick(unknown);
  }

  /**
   * Mostly mutations of valid encodings (one byte changed, inserted or removed), which get past the
   * header; sometimes a valid header followed by random bytes, or random bytes.
   */
  private static Gen<byte[]> noise() {
    Gen<byte[]> mutated =
        events()
            .zip(
                Generate.range(0, 2),
                Generators.nonNegativeInts(),
                Generators.anyByte(),
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
    Gen<byte[]> validHeader =
        Generate.range(0, 6)
            .zip(
                someBytes(),
                (kind, rest) -> {
                  byte[] out = new byte[2 + rest.length];
                  out[0] = 1;
                  out[1] = (byte) (int) kind;
                  System.arraycopy(rest, 0, out, 2, rest.length);
                  return out;
                });
    return Generate.frequency(
        Pair.of(6, mutated), Pair.of(3, validHeader), Pair.of(1, someBytes()));
  }

  private static Gen<Long> longs() {
    return Generators.anyLong();
  }

  private static Gen<Long> positiveLongs() {
    return Generate.longRange(1, Long.MAX_VALUE)
        .mix(Generate.pick(List.of(1L, 2L, Long.MAX_VALUE)), 10);
  }

  private static Gen<Instant> instants() {
    return Generate.longRange(Instant.MIN.getEpochSecond(), Instant.MAX.getEpochSecond())
        .zip(Generate.range(0, 999_999_999), Instant::ofEpochSecond);
  }
}
