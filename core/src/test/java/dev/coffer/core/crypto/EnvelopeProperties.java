package dev.coffer.core.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.coffer.core.testing.Falsification;
import dev.coffer.core.testing.Generators;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.quicktheories.QuickTheory;
import org.quicktheories.api.Pair;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

class EnvelopeProperties {

  @Test
  void decodeInvertsEncode() {
    roundTripHolds(qt(), envelope -> Envelope.decode(envelope.encode()));
  }

  /** The round trip property refutes a codec that loses the key version. */
  @Test
  void theRoundTripCatchesACodecThatDropsAField() {
    String report =
        Falsification.assertFalsified(
            () ->
                roundTripHolds(
                    qt().withShrinkCycles(Falsification.SHRINK_CYCLES),
                    envelope -> {
                      Envelope decoded = Envelope.decode(envelope.encode());
                      return new Envelope(
                          decoded.keyId(), 0, decoded.nonce(), decoded.ciphertext());
                    }));

    assertThat(report).contains("Envelope");
  }

  private static void roundTripHolds(QuickTheory theory, UnaryOperator<Envelope> roundTrip) {
    theory
        .withExamples(500)
        .forAll(envelopes())
        .checkAssert(envelope -> roundTripHolds(envelope, roundTrip));
  }

  private static void roundTripHolds(Envelope envelope, UnaryOperator<Envelope> roundTrip) {
    Envelope decoded = roundTrip.apply(envelope);

    assertThat(decoded).isEqualTo(envelope);
    assertThat(decoded.keyId()).isEqualTo(envelope.keyId());
    assertThat(decoded.keyVersion()).isEqualTo(envelope.keyVersion());
    assertThat(decoded.nonce()).isEqualTo(envelope.nonce());
    assertThat(decoded.ciphertext()).isEqualTo(envelope.ciphertext());
  }

  @Test
  void encodingFollowsTheDocumentedLayout() {
    qt().withExamples(300)
        .forAll(envelopes())
        .checkAssert(EnvelopeProperties::encodingFollowsTheDocumentedLayout);
  }

  private static void encodingFollowsTheDocumentedLayout(Envelope envelope) {
    byte[] id = envelope.keyId().getBytes(StandardCharsets.UTF_8);
    byte[] encoded = envelope.encode();
    ByteBuffer in = ByteBuffer.wrap(encoded);

    assertThat(in.get()).isEqualTo((byte) 2);
    assertThat(Byte.toUnsignedInt(in.get())).isEqualTo(id.length);
    byte[] idRead = new byte[id.length];
    in.get(idRead);
    assertThat(idRead).isEqualTo(id);
    assertThat(in.getInt()).isEqualTo(envelope.keyVersion());
    byte[] nonce = new byte[12];
    in.get(nonce);
    assertThat(nonce).isEqualTo(envelope.nonce());
    byte[] rest = new byte[in.remaining()];
    in.get(rest);
    assertThat(rest).isEqualTo(envelope.ciphertext());
  }

  /** Any bytes at all: an envelope or an IllegalArgumentException, and nothing else. */
  @Test
  void decodeOfArbitraryBytesFailsOnlyWithIllegalArgument() {
    int tries = 1000;
    AtomicInteger decodedCount = new AtomicInteger();
    qt().withExamples(tries)
        .forAll(noise())
        .checkAssert(
            bytes -> {
              Envelope decoded;
              try {
                decoded = Envelope.decode(bytes);
              } catch (IllegalArgumentException expected) {
                return;
              }
              decodedCount.incrementAndGet();
              // What decodes is canonical: re-encoding gives back exactly the input.
              assertThat(decoded.encode()).isEqualTo(bytes);
            });
    assertThat(decodedCount.get()).as("inputs that decoded").isGreaterThanOrEqualTo(tries / 20);
  }

  @Test
  void everyTruncationIsRejected() {
    qt().withExamples(200)
        .forAll(envelopes())
        .checkAssert(EnvelopeProperties::everyTruncationIsRejected);
  }

  private static void everyTruncationIsRejected(Envelope envelope) {
    byte[] encoded = envelope.encode();
    // The shortest valid envelope ends at the 16th ciphertext byte.
    int minimum = encoded.length - envelope.ciphertext().length + 16;
    for (int length = 0; length < minimum; length++) {
      byte[] prefix = Arrays.copyOf(encoded, length);
      assertThatThrownBy(() -> Envelope.decode(prefix))
          .as("prefix of %d bytes", length)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void keyIdsHaveOneTo255Utf8Bytes() {
    byte[] nonce = new byte[12];
    byte[] ciphertext = new byte[16];
    String max = "k".repeat(255);
    String maxMultiByte = "é".repeat(127) + "k"; // 255 bytes, 128 characters

    assertThat(Envelope.decode(new Envelope(max, 0, nonce, ciphertext).encode()).keyId())
        .isEqualTo(max);
    assertThat(Envelope.decode(new Envelope(maxMultiByte, 0, nonce, ciphertext).encode()).keyId())
        .isEqualTo(maxMultiByte);
    assertThatThrownBy(() -> new Envelope("k".repeat(256), 0, nonce, ciphertext))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Envelope("é".repeat(128), 0, nonce, ciphertext))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Envelope("", 0, nonce, ciphertext))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void noncesHave12BytesAndVersionsAreNonNegative() {
    byte[] ciphertext = new byte[16];
    assertThatThrownBy(() -> new Envelope("k", 1, new byte[11], ciphertext))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Envelope("k", 1, new byte[13], ciphertext))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Envelope("k", -1, new byte[12], ciphertext))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(
            Envelope.decode(new Envelope("k", Integer.MAX_VALUE, new byte[12], ciphertext).encode())
                .keyVersion())
        .isEqualTo(Integer.MAX_VALUE);
  }

  @Test
  void rejectsUnknownFormatsShortCiphertextsAndBadHeaders() {
    byte[] valid = new Envelope("root-1", 7, new byte[12], new byte[16]).encode();

    for (int format : List.of(0, 1, 3, 255)) {
      byte[] other = valid.clone();
      other[0] = (byte) format;
      assertThatThrownBy(() -> Envelope.decode(other)).isInstanceOf(IllegalArgumentException.class);
    }
    byte[] noKeyId = valid.clone();
    noKeyId[1] = 0;
    assertThatThrownBy(() -> Envelope.decode(noKeyId)).isInstanceOf(IllegalArgumentException.class);
    byte[] negativeVersion = valid.clone();
    negativeVersion[2 + 6] = (byte) 0x80;
    assertThatThrownBy(() -> Envelope.decode(negativeVersion))
        .isInstanceOf(IllegalArgumentException.class);
    byte[] shortCiphertext = Arrays.copyOf(valid, valid.length - 1);
    assertThatThrownBy(() -> Envelope.decode(shortCiphertext))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Envelope.decode(new byte[0]))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rejectsKeyIdsThatAreNotUtf8() {
    byte[] valid = new Envelope("ab", 1, new byte[12], new byte[16]).encode();
    for (int bad : List.of(0x80, 0xc3, 0xff)) {
      byte[] corrupt = valid.clone();
      corrupt[2] = (byte) bad;
      assertThatThrownBy(() -> Envelope.decode(corrupt))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void toStringShowsNoBytes() {
    byte[] ciphertext = "zq7x-ciphertext-zq7x".getBytes(StandardCharsets.UTF_8);
    Envelope envelope = new Envelope("root-1", 3, new byte[12], ciphertext);

    assertThat(envelope.toString()).contains("root-1").doesNotContain("zq7x");
  }

  private static Gen<Envelope> envelopes() {
    return keyIds().zip(Generators.nonNegativeInts(), bytes(12, 12), bytes(16, 300), Envelope::new);
  }

  /** Key ids of 1 to 255 UTF-8 bytes: mostly ASCII, some from all of Unicode. */
  private static Gen<String> keyIds() {
    Gen<Integer> codePoints =
        Generate.frequency(
            Pair.of(3, Generate.range(0x20, 0x7e)),
            Pair.of(
                1,
                Generate.range(0, Character.MAX_CODE_POINT - 0x800)
                    // Skip the surrogates, which are not code points of text.
                    .map(cp -> cp < Character.MIN_SURROGATE ? cp : cp + 0x800)));
    Gen<String> ids =
        lists()
            .of(codePoints)
            .ofSizeBetween(1, 255)
            .map(
                cps -> {
                  StringBuilder text = new StringBuilder();
                  for (int cp : cps) {
                    if (text.toString().getBytes(StandardCharsets.UTF_8).length
                            + new String(Character.toChars(cp))
                                .getBytes(StandardCharsets.UTF_8)
                                .length
                        > 255) {
                      break;
                    }
                    text.appendCodePoint(cp);
                  }
                  return text.toString();
                });
    return Generate.oneOf(ids, Generate.pick(List.of("data", "vault", "root-1", "k".repeat(255))));
  }

  private static Gen<byte[]> bytes(int min, int max) {
    return Generators.bytes(min, max);
  }

  /**
   * Mostly near-misses: a valid format byte, a key id length, then random bytes, so that decoding
   * gets past the first checks; sometimes entirely random bytes.
   */
  private static Gen<byte[]> noise() {
    Gen<byte[]> nearMiss =
        Generate.frequency(
                Pair.of(9, Generate.constant((byte) 2)), Pair.of(1, Generators.anyByte()))
            .zip(
                Generate.range(0, 40),
                bytes(0, 120),
                (format, idLength, rest) -> {
                  byte[] out = new byte[2 + rest.length];
                  out[0] = format;
                  out[1] = (byte) (int) idLength;
                  System.arraycopy(rest, 0, out, 2, rest.length);
                  return out;
                });
    Gen<byte[]> mutated =
        envelopes()
            .zip(
                Generators.nonNegativeInts(),
                Generators.anyByte(),
                (envelope, index, value) -> {
                  byte[] out = envelope.encode();
                  out[index % out.length] = value;
                  return out;
                });
    return Generate.oneOf(nearMiss, mutated, bytes(0, 64));
  }
}
