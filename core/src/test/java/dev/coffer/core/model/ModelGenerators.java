package dev.coffer.core.model;

import static dev.coffer.core.testing.Generators.chars;
import static dev.coffer.core.testing.Generators.range;
import static dev.coffer.core.testing.Generators.stringsOf;

import org.quicktheories.api.Pair;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/** Generators of valid identifiers, shared by the property tests of several packages. */
public final class ModelGenerators {
  private static final String LOWER = range('a', 'z');
  private static final String UPPER = range('A', 'Z');
  private static final String DIGITS = range('0', '9');

  private ModelGenerators() {}

  /** Valid vault names of every length from 1 to 63. */
  public static Gen<VaultName> vaultNames() {
    Gen<Character> first = chars(LOWER);
    Gen<String> middle = stringsOf(LOWER + DIGITS + "-", 0, 61);
    Gen<Character> last = chars(LOWER + DIGITS);
    Gen<String> single = first.map(c -> String.valueOf(c));
    Gen<String> longer = first.zip(middle, last, (f, m, l) -> f + m + l);
    return Generate.oneOf(single, longer).map(VaultName::of);
  }

  /** Valid secret names of every length from 1 to 255. */
  public static Gen<SecretName> secretNames() {
    Gen<Character> first = chars(LOWER + UPPER + DIGITS);
    Gen<String> rest = stringsOf(LOWER + UPPER + DIGITS + "._-", 0, 254);
    return first.zip(rest, (f, r) -> f + r).map(SecretName::of);
  }

  /** Valid shard ids of every length from 1 to 32. */
  public static Gen<ShardId> shardIds() {
    Gen<Character> first = chars(LOWER);
    Gen<String> rest = stringsOf(LOWER + DIGITS + "-", 0, 31);
    return first.zip(rest, (f, r) -> f + r).map(ShardId::of);
  }

  /** Log positions over the whole range, with small values often enough to produce ties. */
  public static Gen<LogPosition> logPositions() {
    Gen<Long> part =
        Generate.frequency(
            Pair.of(1, Generate.longRange(0, 3)),
            Pair.of(1, Generate.longRange(0, Long.MAX_VALUE)));
    return part.zip(part, LogPosition::new);
  }
}
