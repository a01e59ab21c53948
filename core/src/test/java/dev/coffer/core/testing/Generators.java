package dev.coffer.core.testing;

import static org.quicktheories.generators.SourceDSL.lists;

import java.util.ArrayList;
import java.util.List;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/** Generators of plain values for core's property tests. */
public final class Generators {
  private Generators() {}

  /** Byte arrays of min to max bytes, any values, shrinking towards short arrays of zeros. */
  public static Gen<byte[]> bytes(int min, int max) {
    return Generate.byteArrays(Generate.range(min, max), anyByte());
  }

  /** Any byte, shrinking towards zero. */
  public static Gen<Byte> anyByte() {
    return Generate.bytes(Byte.MIN_VALUE, Byte.MAX_VALUE, (byte) 0);
  }

  /** Ints from 0 to Integer.MAX_VALUE; one in ten from the edges (0, 1, 2 and the maximum). */
  public static Gen<Integer> nonNegativeInts() {
    return Generate.range(0, Integer.MAX_VALUE)
        .mix(Generate.pick(List.of(0, 1, 2, Integer.MAX_VALUE)), 10);
  }

  /** Ints from 1 to Integer.MAX_VALUE; one in ten from the edges (1, 2 and the maximum). */
  public static Gen<Integer> positiveInts() {
    return Generate.range(1, Integer.MAX_VALUE)
        .mix(Generate.pick(List.of(1, 2, Integer.MAX_VALUE)), 10);
  }

  /** Any long; one in ten from the edges (0, ±1, the minimum and the maximum). */
  public static Gen<Long> anyLong() {
    return Generate.longRange(Long.MIN_VALUE, Long.MAX_VALUE)
        .mix(Generate.pick(List.of(0L, 1L, -1L, Long.MIN_VALUE, Long.MAX_VALUE)), 10);
  }

  /** Strings of min to max characters, each picked from the given ones (earlier ones on shrink). */
  public static Gen<String> stringsOf(String alphabet, int min, int max) {
    return stringsOf(chars(alphabet), min, max);
  }

  /** Strings of min to max characters drawn from the given generator. */
  public static Gen<String> stringsOf(Gen<Character> chars, int min, int max) {
    return lists().of(chars).ofSizeBetween(min, max).map(Generators::join);
  }

  /** One of the given characters. */
  public static Gen<Character> chars(String alphabet) {
    List<Character> list = new ArrayList<>(alphabet.length());
    for (int i = 0; i < alphabet.length(); i++) {
      list.add(alphabet.charAt(i));
    }
    return Generate.pick(list);
  }

  /** The characters from first to last, both included, in order. */
  public static String range(char first, char last) {
    StringBuilder text = new StringBuilder();
    for (char c = first; c <= last; c++) {
      text.append(c);
    }
    return text.toString();
  }

  public static String join(List<Character> chars) {
    StringBuilder text = new StringBuilder(chars.size());
    chars.forEach(text::append);
    return text.toString();
  }
}
