package dev.coffer.core.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

class EnvelopeProperties {

  @Property(tries = 500)
  void decodeInvertsEncode(@ForAll("envelopes") Envelope envelope) {
    Envelope decoded = Envelope.decode(envelope.encode());

    assertThat(decoded).isEqualTo(envelope);
    assertThat(decoded.keyId()).isEqualTo(envelope.keyId());
    assertThat(decoded.keyVersion()).isEqualTo(envelope.keyVersion());
    assertThat(decoded.nonce()).isEqualTo(envelope.nonce());
    assertThat(decoded.ciphertext()).isEqualTo(envelope.ciphertext());
  }

  @Property(tries = 300)
  void encodingFollowsTheDocumentedLayout(@ForAll("envelopes") Envelope envelope) {
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
  @Property(tries = 1000)
  void decodeOfArbitraryBytesFailsOnlyWithIllegalArgument(@ForAll("noise") byte[] bytes) {
    Envelope decoded;
    try {
      decoded = Envelope.decode(bytes);
      Statistics.collect("decoded");
    } catch (IllegalArgumentException expected) {
      Statistics.collect("rejected");
      return;
    } finally {
      Statistics.coverage(coverage -> coverage.check("decoded").percentage(p -> p >= 5));
    }
    // What decodes is canonical: re-encoding gives back exactly the input.
    assertThat(decoded.encode()).isEqualTo(bytes);
  }

  @Property(tries = 200)
  void everyTruncationIsRejected(@ForAll("envelopes") Envelope envelope) {
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

  @Example
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

  @Example
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

  @Example
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

  @Example
  void rejectsKeyIdsThatAreNotUtf8() {
    byte[] valid = new Envelope("ab", 1, new byte[12], new byte[16]).encode();
    for (int bad : List.of(0x80, 0xc3, 0xff)) {
      byte[] corrupt = valid.clone();
      corrupt[2] = (byte) bad;
      assertThatThrownBy(() -> Envelope.decode(corrupt))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Example
  void toStringShowsNoBytes() {
    byte[] ciphertext = "zq7x-ciphertext-zq7x".getBytes(StandardCharsets.UTF_8);
    Envelope envelope = new Envelope("root-1", 3, new byte[12], ciphertext);

    assertThat(envelope.toString()).contains("root-1").doesNotContain("zq7x");
  }

  @Provide
  Arbitrary<Envelope> envelopes() {
    return Combinators.combine(
            keyIds(), Arbitraries.integers().greaterOrEqual(0), bytes(12, 12), bytes(16, 300))
        .as(Envelope::new);
  }

  /** Key ids of 1 to 255 UTF-8 bytes: mostly ASCII, some from all of Unicode. */
  private static Arbitrary<String> keyIds() {
    Arbitrary<Integer> codePoints =
        Arbitraries.frequencyOf(
            Tuple.of(3, Arbitraries.integers().between(0x20, 0x7e)),
            Tuple.of(
                1,
                Arbitraries.integers()
                    .between(0, Character.MAX_CODE_POINT)
                    .filter(cp -> cp < Character.MIN_SURROGATE || cp > Character.MAX_SURROGATE)));
    Arbitrary<String> ids =
        codePoints
            .list()
            .ofMinSize(1)
            .ofMaxSize(255)
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
    return Arbitraries.oneOf(ids, Arbitraries.of("data", "vault", "root-1", "k".repeat(255)));
  }

  private static Arbitrary<byte[]> bytes(int min, int max) {
    return Arbitraries.bytes().array(byte[].class).ofMinSize(min).ofMaxSize(max);
  }

  /**
   * Mostly near-misses: a valid format byte, a key id length, then random bytes, so that decoding
   * gets past the first checks; sometimes entirely random bytes.
   */
  @Provide
  Arbitrary<byte[]> noise() {
    Arbitrary<byte[]> nearMiss =
        Combinators.combine(
                Arbitraries.frequencyOf(
                    Tuple.of(9, Arbitraries.just((byte) 2)), Tuple.of(1, Arbitraries.bytes())),
                Arbitraries.integers().between(0, 40),
                bytes(0, 120))
            .as(
                (format, idLength, rest) -> {
                  byte[] out = new byte[2 + rest.length];
                  out[0] = format;
                  out[1] = (byte) (int) idLength;
                  System.arraycopy(rest, 0, out, 2, rest.length);
                  return out;
                });
    Arbitrary<byte[]> mutated =
        Combinators.combine(
                envelopes(), Arbitraries.integers().greaterOrEqual(0), Arbitraries.bytes())
            .as(
                (envelope, index, value) -> {
                  byte[] out = envelope.encode();
                  out[index % out.length] = value;
                  return out;
                });
    return Arbitraries.oneOf(nearMiss, mutated, bytes(0, 64));
  }
}
