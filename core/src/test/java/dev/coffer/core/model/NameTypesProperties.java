package dev.coffer.core.model;

import static dev.coffer.core.testing.Generators.chars;
import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.coffer.core.error.CofferException;
import dev.coffer.core.error.ErrorCode;
import dev.coffer.core.testing.Generators;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.quicktheories.api.Pair;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * Each identifier type accepts a string exactly when a hand-written reading of its documented rule
 * does, over strings of mostly allowed characters, with lengths around the limit.
 */
class NameTypesProperties {
  /** Characters that are never allowed anywhere in any identifier. */
  private static final String FOREIGN = "/ é\u212a\n:+\u0000";

  private static final int TRIES = 400;

  @Test
  void vaultNamesFollowTheRule() {
    check(
        vaultCandidates(),
        VaultName::of,
        ErrorCode.INVALID_VAULT_NAME,
        s ->
            lengthIn(s, 63)
                && lower(s.charAt(0))
                && s.charAt(s.length() - 1) != '-'
                && s.chars().allMatch(c -> lower(c) || digit(c) || c == '-'));
  }

  @Test
  void secretNamesFollowTheRule() {
    check(
        secretCandidates(),
        SecretName::of,
        ErrorCode.INVALID_SECRET_NAME,
        s ->
            lengthIn(s, 255)
                && (lower(s.charAt(0)) || upper(s.charAt(0)) || digit(s.charAt(0)))
                && s.chars()
                    .allMatch(
                        c -> lower(c) || upper(c) || digit(c) || c == '.' || c == '_' || c == '-'));
  }

  @Test
  void shardIdsFollowTheRule() {
    check(
        shardCandidates(),
        ShardId::of,
        ErrorCode.INVALID_SHARD,
        s ->
            lengthIn(s, 32)
                && lower(s.charAt(0))
                && s.chars().allMatch(c -> lower(c) || digit(c) || c == '-'));
  }

  @Test
  void hostIdsFollowTheRule() {
    check(
        hostCandidates(),
        HostId::of,
        ErrorCode.MALFORMED_REQUEST,
        s ->
            lengthIn(s, 63)
                && lower(s.charAt(0))
                && s.chars().allMatch(c -> lower(c) || digit(c) || c == '-'));
  }

  private static Gen<String> vaultCandidates() {
    return candidates("abz09-", 63);
  }

  private static Gen<String> secretCandidates() {
    return candidates("aZ09._-", 255);
  }

  private static Gen<String> shardCandidates() {
    return candidates("abz09-", 32);
  }

  private static Gen<String> hostCandidates() {
    return candidates("abz09-", 63);
  }

  /**
   * Strings of length 0 to max+2 (lengths near the limit half the time), mostly of the given
   * allowed characters, sometimes of upper case or foreign ones.
   */
  private static Gen<String> candidates(String allowed, int max) {
    Gen<Character> chars =
        Generate.frequency(
            Pair.of(150, chars(allowed)),
            Pair.of(1, Generate.characters('A', 'Z')),
            Pair.of(1, chars(FOREIGN)));
    Gen<Integer> length = Generate.oneOf(Generate.range(0, 8), Generate.range(max - 2, max + 2));
    return lists().of(chars).ofSizes(length).map(Generators::join);
  }

  /** Runs the rule check over the candidates; both outcomes must be well represented. */
  private static void check(
      Gen<String> candidates, Function<String, ?> parse, ErrorCode code, Predicate<String> rule) {
    AtomicInteger valid = new AtomicInteger();
    AtomicInteger invalid = new AtomicInteger();
    qt().withExamples(TRIES)
        .forAll(candidates)
        .checkAssert(
            input -> {
              boolean expected = rule.test(input);
              (expected ? valid : invalid).incrementAndGet();
              try {
                Object parsed = parse.apply(input);
                assertThat(expected).as("accepted \"%s\"", input).isTrue();
                assertThat(parsed.toString()).isEqualTo(input);
              } catch (CofferException e) {
                assertThat(expected).as("rejected \"%s\"", input).isFalse();
                assertThat(e.code()).isEqualTo(code);
              }
            });
    // Or the property says little.
    assertThat(valid.get()).as("valid inputs").isGreaterThanOrEqualTo(TRIES / 20);
    assertThat(invalid.get()).as("invalid inputs").isGreaterThanOrEqualTo(TRIES / 20);
  }

  private static boolean lengthIn(String s, int max) {
    return !s.isEmpty() && s.length() <= max;
  }

  private static boolean lower(int c) {
    return c >= 'a' && c <= 'z';
  }

  private static boolean upper(int c) {
    return c >= 'A' && c <= 'Z';
  }

  private static boolean digit(int c) {
    return c >= '0' && c <= '9';
  }
}
