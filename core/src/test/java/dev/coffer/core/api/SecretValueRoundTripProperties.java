package dev.coffer.core.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.strings;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.coffer.core.crypto.EnvelopeSecretCrypto;
import dev.coffer.core.crypto.LocalRootKeyProvider;
import dev.coffer.core.crypto.SealedSecret;
import dev.coffer.core.crypto.SecretIdentity;
import dev.coffer.core.crypto.WrappedVaultKey;
import dev.coffer.core.error.CofferException;
import dev.coffer.core.error.ErrorCode;
import dev.coffer.core.model.SecretName;
import dev.coffer.core.model.SecretStage;
import dev.coffer.core.model.SecretValue;
import dev.coffer.core.model.VaultName;
import dev.coffer.core.read.RevealedSecret;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.quicktheories.api.AsString;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * Values are never silently altered: every string a client can send is either refused with a value
 * error, or reads back exactly — through the put's JSON, the encoding to bytes, sealing and opening
 * in the encryption seam, and the read's JSON.
 */
class SecretValueRoundTripProperties {
  private static final EnvelopeSecretCrypto CRYPTO =
      new EnvelopeSecretCrypto(
          LocalRootKeyProvider.fromBase64("root-1", LocalRootKeyProvider.generateBase64Key()),
          Duration.ofMinutes(5));
  private static final SecretIdentity IDENTITY =
      new SecretIdentity(VaultName.of("payments"), SecretName.of("db-password"), 7);
  private static final WrappedVaultKey VAULT_KEY = CRYPTO.newVaultKey(IDENTITY.vault());
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Pieces that have broken text handling somewhere: surrogates paired and not, NUL, noncharacters.
   */
  private static final List<String> TRICKY =
      List.of(
          "a",
          "\u0000",
          "\u001f",
          "\u007f",
          "\u0085",
          "\u00e9",
          "\u20ac",
          "\u2028",
          "\ufeff",
          "\ufffe",
          "\uffff",
          "\ud83d\ude00", // U+1F600, an astral code point
          "\udbff\udfff", // U+10FFFF, the last code point
          "\ud800", // lone high surrogates
          "\udbff",
          "\udc00", // lone low surrogates
          "\udfff",
          "\udc00\ud800", // a pair in the wrong order
          "\\",
          "\"",
          "\n",
          "?");

  @Test
  void arbitraryCodePointsAreRefusedOrReadBackExactly() {
    qt().withExamples(2000)
        .forAll(strings().allPossible().ofLengthBetween(0, 40).describedAs(DESCRIBE))
        .checkAssert(SecretValueRoundTripProperties::refusedOrReadBackExactly);
  }

  @Test
  void trickyPiecesInAnyOrderAreRefusedOrReadBackExactly() {
    qt().withExamples(2000)
        .forAll(pieces(1, 12).describedAs(DESCRIBE))
        .checkAssert(SecretValueRoundTripProperties::refusedOrReadBackExactly);
  }

  @Test
  void valuesAroundThe64KiBLimitAreRefusedOrReadBackExactly() {
    Gen<String> filler = Generate.pick(List.of("x", "\u00e9", "\u20ac", "\ud83d\ude00", "\u0000"));
    Gen<String> nearLimit =
        filler.zip(
            Generate.range(-4, 4),
            pieces(0, 3),
            (unit, offset, tail) -> {
              int unitBytes = unit.getBytes(StandardCharsets.UTF_8).length;
              return unit.repeat(Math.max(0, SecretValue.MAX_BYTES / unitBytes + offset)) + tail;
            });
    qt().withExamples(300)
        .forAll(nearLimit.describedAs(DESCRIBE))
        .checkAssert(SecretValueRoundTripProperties::refusedOrReadBackExactly);
  }

  /** A falsified example as escaped UTF-16, shortened: shrunk values can still be 64 KiB long. */
  private static final AsString<String> DESCRIBE =
      text -> {
        StringBuilder escaped = new StringBuilder();
        text.chars()
            .limit(48)
            .forEach(
                c ->
                    escaped.append(
                        c >= 0x20 && c < 0x7f
                            ? String.valueOf((char) c)
                            : String.format("\\u%04x", c)));
        return "\""
            + escaped
            + (text.length() > 48 ? "…" : "")
            + "\" ("
            + text.length()
            + " chars)";
      };

  private static Gen<String> pieces(int min, int max) {
    return lists()
        .of(Generate.pick(TRICKY))
        .ofSizeBetween(min, max)
        .map(parts -> String.join("", parts));
  }

  private static void refusedOrReadBackExactly(String text) {
    // The client's JSON as the server parses it.
    String sent = viaJson(new PutSecretRequest(text), PutSecretRequest.class).value();
    assertThat(sent).isEqualTo(text);

    SecretValue value;
    try {
      value = SecretValue.ofUtf8(sent);
    } catch (CofferException e) {
      assertRefusalIsJustified(text, e);
      return;
    }
    assertThat(wellFormed(text)).as("accepted, so well-formed UTF-16").isTrue();
    assertThat(value.length()).isEqualTo(utf8Length(text)).isBetween(1, SecretValue.MAX_BYTES);

    SealedSecret sealed = CRYPTO.seal(IDENTITY, VAULT_KEY, value);
    SecretValue opened = CRYPTO.open(IDENTITY, VAULT_KEY, sealed);
    assertThat(opened.copyBytes()).isEqualTo(text.getBytes(StandardCharsets.UTF_8));

    SecretView read =
        SecretView.of(
            new RevealedSecret(
                IDENTITY.vault(),
                IDENTITY.secret(),
                IDENTITY.version(),
                Instant.EPOCH,
                List.of(SecretStage.CURRENT),
                opened));
    assertThat(viaJson(read, SecretView.class).value()).isEqualTo(text);
  }

  private static void assertRefusalIsJustified(String text, CofferException e) {
    if (e.code() == ErrorCode.INVALID_SECRET_VALUE) {
      assertThat(text.isEmpty() || !wellFormed(text))
          .as("refused as invalid, so empty or not well-formed UTF-16")
          .isTrue();
    } else if (e.code() == ErrorCode.SECRET_VALUE_TOO_LARGE) {
      assertThat(utf8Length(text)).isGreaterThan(SecretValue.MAX_BYTES);
    } else {
      fail("refused with " + e.code());
    }
    if (text.length() >= 4) {
      assertThat(e.getMessage()).doesNotContain(text);
    }
  }

  /** Every surrogate is half of a high-low pair: the oracle, written apart from the encoder. */
  private static boolean wellFormed(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < text.length()
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return false;
      }
    }
    return true;
  }

  /** UTF-8 length counted from code points; only meaningful for well-formed text. */
  private static long utf8Length(String text) {
    return text.codePoints()
        .mapToLong(cp -> cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4)
        .sum();
  }

  private static <T> T viaJson(Object value, Class<T> type) {
    try {
      return JSON.readValue(JSON.writeValueAsBytes(value), type);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
