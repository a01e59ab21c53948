package dev.coffer.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.core.error.CofferException;
import dev.coffer.core.error.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SecretValueTest {
  private static final String SECRET_TEXT = "hunter2-zq7x-do-not-print";

  @Test
  void theLimitIs64KiB() {
    assertThat(SecretValue.MAX_BYTES).isEqualTo(65536);
  }

  @Test
  void acceptsExactly64KiB() {
    byte[] bytes = random(65536, 1);
    byte[] expected = bytes.clone();

    SecretValue value = SecretValue.ofBytes(bytes);

    assertThat(value.length()).isEqualTo(65536);
    assertThat(value.copyBytes()).isEqualTo(expected);
  }

  @Test
  void rejectsOneByteOver64KiB() {
    assertThatThrownBy(() -> SecretValue.ofBytes(random(65537, 2)))
        .isInstanceOfSatisfying(
            CofferException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.SECRET_VALUE_TOO_LARGE);
              assertThat(e.getMessage()).contains("65537").contains("65536");
            });
  }

  @Test
  void theLimitCountsUtf8BytesNotCharacters() {
    String twoByteChars = "é".repeat(32768);

    assertThat(SecretValue.ofUtf8(twoByteChars).length()).isEqualTo(65536);
    assertThatThrownBy(() -> SecretValue.ofUtf8(twoByteChars + "a"))
        .isInstanceOfSatisfying(
            CofferException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.SECRET_VALUE_TOO_LARGE));
    assertThatThrownBy(() -> SecretValue.ofUtf8("x".repeat(65537)))
        .isInstanceOfSatisfying(
            CofferException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.SECRET_VALUE_TOO_LARGE));
  }

  @Test
  void rejectsEmptyAndMissingValues() {
    for (Runnable attempt :
        new Runnable[] {
          () -> SecretValue.ofBytes(new byte[0]),
          () -> SecretValue.ofBytes(null),
          () -> SecretValue.ofUtf8(""),
          () -> SecretValue.ofUtf8(null)
        }) {
      assertThatThrownBy(attempt::run)
          .isInstanceOfSatisfying(
              CofferException.class,
              e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_SECRET_VALUE));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"\ud800x", "x\udc00", "zq7x\udbff", "\udfff\ud800", "a\ud83d"})
  void refusesTextWithAnUnpairedSurrogateRatherThanAlteringIt(String text) {
    assertThatThrownBy(() -> SecretValue.ofUtf8(text))
        .isInstanceOfSatisfying(
            CofferException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.INVALID_SECRET_VALUE);
              assertThat(e.getMessage()).contains("surrogate").doesNotContain("zq7x");
            });
  }

  @Test
  void keepsNulNoncharactersAndAstralCodePointsExactly() {
    String text = "\u0000\uffff\ufffe\ud83d\ude00\udbff\udfff";

    SecretValue value = SecretValue.ofUtf8(text);

    assertThat(value.copyBytes()).isEqualTo(text.getBytes(StandardCharsets.UTF_8));
    assertThat(value.asUtf8()).contains(text);
  }

  @Test
  void aSingleByteIsAValue() {
    assertThat(SecretValue.ofBytes(new byte[] {0}).length()).isEqualTo(1);
  }

  @Test
  void toStringNeverContainsTheValue() {
    SecretValue value = SecretValue.ofUtf8(SECRET_TEXT);

    assertThat(value.toString())
        .doesNotContain(SECRET_TEXT)
        .doesNotContain("hunter2")
        .contains("REDACTED");
    assertThat(String.valueOf(value)).doesNotContain("hunter2");
  }

  @Test
  void equalsComparesContent() {
    SecretValue a = SecretValue.ofUtf8(SECRET_TEXT);
    SecretValue same = SecretValue.ofBytes(SECRET_TEXT.getBytes(StandardCharsets.UTF_8));
    SecretValue lastByteDiffers = SecretValue.ofUtf8(SECRET_TEXT.substring(0, 24) + "u");
    SecretValue firstByteDiffers = SecretValue.ofUtf8("H" + SECRET_TEXT.substring(1));
    SecretValue prefix = SecretValue.ofUtf8(SECRET_TEXT.substring(0, 10));

    assertThat(a).isEqualTo(same).hasSameHashCodeAs(same);
    SecretValue self = a; // AssertJ passes isEqualTo(a) on identity without calling equals
    assertThat(a.equals(self)).as("equals is reflexive").isTrue();
    assertThat(a).isNotEqualTo(lastByteDiffers);
    assertThat(a).isNotEqualTo(firstByteDiffers);
    assertThat(a).isNotEqualTo(prefix);
    assertThat(prefix).isNotEqualTo(a);
    assertThat(a).isNotEqualTo(null);
    assertThat(a).isNotEqualTo(SECRET_TEXT);
  }

  @Test
  void closeWipesThePlaintextItOwns() {
    byte[] owned = SECRET_TEXT.getBytes(StandardCharsets.UTF_8);
    SecretValue value = SecretValue.ofBytes(owned);

    value.close();

    assertThat(value.copyBytes()).containsOnly(0).hasSize(SECRET_TEXT.length());
    assertThat(owned).containsOnly(0);
    assertThat(value).isNotEqualTo(SecretValue.ofUtf8(SECRET_TEXT));
  }

  @Test
  void copyBytesIsACopy() {
    SecretValue value = SecretValue.ofUtf8(SECRET_TEXT);
    byte[] copy = value.copyBytes();
    Arrays.fill(copy, (byte) 'x');

    assertThat(value.asUtf8()).contains(SECRET_TEXT);
  }

  @Test
  void asUtf8DecodesValidText() {
    String text = "héllo € 𝄞 ✓";
    assertThat(SecretValue.ofUtf8(text).asUtf8()).contains(text);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "ff", // never valid in UTF-8
        "80", // lone continuation byte
        "c328", // lead byte followed by a non-continuation
        "e282", // truncated three-byte sequence
        "c0af", // overlong encoding of '/'
        "eda080", // an encoded surrogate (CESU-8), not UTF-8
        "f4908080", // above U+10FFFF
        "616263ff" // valid prefix, invalid end
      })
  void asUtf8IsEmptyForInvalidUtf8(String hex) {
    SecretValue value = SecretValue.ofBytes(java.util.HexFormat.of().parseHex(hex));

    assertThat(value.asUtf8()).isEmpty();
  }

  private static byte[] random(int size, long seed) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }
}
