package dev.coffer.core.model;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** Generators of valid identifiers, shared by the property tests of several packages. */
public final class ModelArbitraries {
  private ModelArbitraries() {}

  /** Valid vault names of every length from 1 to 63. */
  public static Arbitrary<VaultName> vaultNames() {
    Arbitrary<Character> first = Arbitraries.chars().range('a', 'z');
    Arbitrary<String> middle =
        Arbitraries.strings()
            .withCharRange('a', 'z')
            .withCharRange('0', '9')
            .withChars('-')
            .ofMaxLength(61);
    Arbitrary<Character> last = Arbitraries.chars().range('a', 'z').range('0', '9');
    Arbitrary<String> single = first.map(String::valueOf);
    Arbitrary<String> longer = Combinators.combine(first, middle, last).as((f, m, l) -> f + m + l);
    return Arbitraries.oneOf(single, longer).map(VaultName::of);
  }

  /** Valid secret names of every length from 1 to 255. */
  public static Arbitrary<SecretName> secretNames() {
    Arbitrary<Character> first =
        Arbitraries.chars().range('a', 'z').range('A', 'Z').range('0', '9');
    Arbitrary<String> rest =
        Arbitraries.strings()
            .withCharRange('a', 'z')
            .withCharRange('A', 'Z')
            .withCharRange('0', '9')
            .withChars('.', '_', '-')
            .ofMaxLength(254);
    return Combinators.combine(first, rest).as((f, r) -> f + r).map(SecretName::of);
  }

  /** Valid shard ids of every length from 1 to 32. */
  public static Arbitrary<ShardId> shardIds() {
    Arbitrary<Character> first = Arbitraries.chars().range('a', 'z');
    Arbitrary<String> rest =
        Arbitraries.strings()
            .withCharRange('a', 'z')
            .withCharRange('0', '9')
            .withChars('-')
            .ofMaxLength(31);
    return Combinators.combine(first, rest).as((f, r) -> f + r).map(ShardId::of);
  }

  /** Log positions over the whole range, with small values often enough to produce ties. */
  public static Arbitrary<LogPosition> logPositions() {
    Arbitrary<Long> part =
        Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(1, Arbitraries.longs().between(0, 3)),
            net.jqwik.api.Tuple.of(1, Arbitraries.longs().between(0, Long.MAX_VALUE)));
    return Combinators.combine(part, part).as(LogPosition::new);
  }
}
