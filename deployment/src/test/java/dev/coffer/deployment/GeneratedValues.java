package dev.coffer.deployment;

import dev.coffer.core.model.SecretValue;
import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * Secret values for the bad-input suite: text from every part of Unicode, control characters and
 * NUL, unpaired surrogates, sizes on either side of the 64 KiB limit; and the JSON that carries
 * them, escaping characters at random so that the same value arrives in different spellings.
 */
final class GeneratedValues {
  private GeneratedValues() {}

  static String next(Random random) {
    StringBuilder value = new StringBuilder();
    int length =
        switch (random.nextInt(10)) {
          case 0 -> 0;
          case 1 -> SecretValue.MAX_BYTES / 4 + random.nextInt(3) - 1; // astral: near the limit
          case 2 -> SecretValue.MAX_BYTES + random.nextInt(3) - 1; // one-byte: near the limit
          default -> 1 + random.nextInt(40);
        };
    boolean nearLimitAstral = length > 1_000 && length < SecretValue.MAX_BYTES / 2;
    boolean nearLimitAscii = length >= SecretValue.MAX_BYTES / 2;
    for (int i = 0; i < length; i++) {
      if (nearLimitAstral) {
        value.appendCodePoint(0x1F600 + random.nextInt(64));
      } else if (nearLimitAscii) {
        value.append((char) ('a' + random.nextInt(26)));
      } else {
        appendOne(value, random);
      }
    }
    return value.toString();
  }

  private static void appendOne(StringBuilder value, Random random) {
    switch (random.nextInt(12)) {
      case 0 -> value.append((char) random.nextInt(0x20)); // controls, NUL among them
      case 1 -> value.append((char) (0x80 + random.nextInt(0x780))); // Latin, Greek, Cyrillic…
      case 2 -> value.append((char) (0x800 + random.nextInt(0xD000))); // the rest below surrogates
      case 3 -> value.appendCodePoint(0x10000 + random.nextInt(0x100000)); // astral planes
      case 4 -> value.append(random.nextBoolean() ? '\uFFFF' : '\uFEFF'); // noncharacter, BOM
      case 5 -> value.append(random.nextBoolean() ? '"' : '\\');
      case 6 -> value.append(random.nextBoolean() ? '\u2028' : '\u0085');
      case 7 -> {
        // Rarely, an unpaired surrogate: such a value cannot be stored as UTF-8 and is refused.
        if (random.nextInt(4) == 0) {
          value.append((char) ((random.nextBoolean() ? 0xD800 : 0xDC00) + random.nextInt(0x400)));
        } else {
          value.append('s');
        }
      }
      default -> value.append((char) (0x20 + random.nextInt(0x5F)));
    }
  }

  /**
   * The code a put of {@code value} must be refused with, or null when it must be stored. A value
   * both oversized and malformed may be refused for either reason; this names the malformation.
   */
  static String expectedCode(String value) {
    if (value.isEmpty() || hasUnpairedSurrogate(value)) {
      return "INVALID_SECRET_VALUE";
    }
    if (value.getBytes(StandardCharsets.UTF_8).length > SecretValue.MAX_BYTES) {
      return "SECRET_VALUE_TOO_LARGE";
    }
    return null;
  }

  static boolean hasUnpairedSurrogate(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < value.length()
          && Character.isLowSurrogate(value.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return true;
      }
    }
    return false;
  }

  /** {@code {"value": …}} with each character raw (as UTF-8) or escaped, chosen at random. */
  static String json(String value, Random random) {
    StringBuilder json = new StringBuilder("{\"value\":\"");
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      boolean pair =
          Character.isHighSurrogate(c)
              && i + 1 < value.length()
              && Character.isLowSurrogate(value.charAt(i + 1));
      if (c == '"' || c == '\\') {
        json.append('\\').append(c);
      } else if (c < 0x20 || (Character.isSurrogate(c) && !pair) || random.nextInt(8) == 0) {
        // Unpaired surrogates can only travel escaped; any other character may.
        json.append(String.format("\\u%04x", (int) c));
        if (pair) {
          json.append(String.format("\\u%04x", (int) value.charAt(++i)));
        }
      } else if (pair) {
        json.append(c).append(value.charAt(++i));
      } else {
        json.append(c);
      }
    }
    return json.append("\"}").toString();
  }

  /** Says what a value is made of without quoting it (values may be long or unprintable). */
  static String describe(String value) {
    return value.length()
        + " chars, "
        + value.getBytes(StandardCharsets.UTF_8).length
        + " UTF-8 bytes, "
        + value.codePoints().filter(cp -> cp >= 0x10000).count()
        + " astral, "
        + (hasUnpairedSurrogate(value) ? "with" : "no")
        + " unpaired surrogate, first code points "
        + value.codePoints().limit(6).mapToObj(Integer::toHexString).toList();
  }
}
