package dev.coffer.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.core.error.CofferException;
import dev.coffer.core.error.ErrorCode;
import java.util.function.Function;
import java.util.function.Predicate;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/**
 * Each identifier type accepts a string exactly when a hand-written reading of its documented rule
 * does, over strings of mostly allowed characters, with lengths around the limit.
 */
class NameTypesProperties {
  /** Characters that are never allowed anywhere in any identifier. */
  private static final char[] FOREIGN = {'/', ' ', 'é', '\u212a', '\n', ':', '+', '\u0000'};

  @Property(tries = 400)
  void vaultNamesFollowTheRule(@ForAll("vaultCandidates") String input) {
    check(
        input,
        VaultName::of,
        ErrorCode.INVALID_VAULT_NAME,
        s ->
            lengthIn(s, 63)
                && lower(s.charAt(0))
                && s.charAt(s.length() - 1) != '-'
                && s.chars().allMatch(c -> lower(c) || digit(c) || c == '-'));
  }

  @Property(tries = 400)
  void secretNamesFollowTheRule(@ForAll("secretCandidates") String input) {
    check(
        input,
        SecretName::of,
        ErrorCode.INVALID_SECRET_NAME,
        s ->
            lengthIn(s, 255)
                && (lower(s.charAt(0)) || upper(s.charAt(0)) || digit(s.charAt(0)))
                && s.chars()
                    .allMatch(
                        c -> lower(c) || upper(c) || digit(c) || c == '.' || c == '_' || c == '-'));
  }

  @Property(tries = 400)
  void shardIdsFollowTheRule(@ForAll("shardCandidates") String input) {
    check(
        input,
        ShardId::of,
        ErrorCode.INVALID_SHARD,
        s ->
            lengthIn(s, 32)
                && lower(s.charAt(0))
                && s.chars().allMatch(c -> lower(c) || digit(c) || c == '-'));
  }

  @Property(tries = 400)
  void hostIdsFollowTheRule(@ForAll("hostCandidates") String input) {
    check(
        input,
        HostId::of,
        ErrorCode.MALFORMED_REQUEST,
        s ->
            lengthIn(s, 63)
                && lower(s.charAt(0))
                && s.chars().allMatch(c -> lower(c) || digit(c) || c == '-'));
  }

  @Provide
  Arbitrary<String> vaultCandidates() {
    return candidates("abz09-", 63);
  }

  @Provide
  Arbitrary<String> secretCandidates() {
    return candidates("aZ09._-", 255);
  }

  @Provide
  Arbitrary<String> shardCandidates() {
    return candidates("abz09-", 32);
  }

  @Provide
  Arbitrary<String> hostCandidates() {
    return candidates("abz09-", 63);
  }

  /**
   * Strings of length 0 to max+2 (lengths near the limit half the time), mostly of the given
   * allowed characters, sometimes of upper case or foreign ones.
   */
  private static Arbitrary<String> candidates(String allowed, int max) {
    Arbitrary<Character> chars =
        Arbitraries.frequencyOf(
            Tuple.of(150, Arbitraries.of(allowed.toCharArray())),
            Tuple.of(1, Arbitraries.chars().range('A', 'Z')),
            Tuple.of(1, Arbitraries.of(FOREIGN)));
    Arbitrary<Integer> length =
        Arbitraries.oneOf(
            Arbitraries.integers().between(0, 8), Arbitraries.integers().between(max - 2, max + 2));
    return length.flatMap(n -> chars.list().ofSize(n)).map(NameTypesProperties::join);
  }

  private static String join(java.util.List<Character> chars) {
    StringBuilder text = new StringBuilder(chars.size());
    chars.forEach(text::append);
    return text.toString();
  }

  private static void check(
      String input, Function<String, ?> parse, ErrorCode code, Predicate<String> rule) {
    boolean expected = rule.test(input);
    // Both outcomes must be well represented, or the property says little.
    Statistics.collect(expected ? "valid" : "invalid");
    Statistics.coverage(
        coverage -> {
          coverage.check("valid").percentage(p -> p >= 5);
          coverage.check("invalid").percentage(p -> p >= 5);
        });
    try {
      Object parsed = parse.apply(input);
      assertThat(expected).as("accepted \"%s\"", input).isTrue();
      assertThat(parsed.toString()).isEqualTo(input);
    } catch (CofferException e) {
      assertThat(expected).as("rejected \"%s\"", input).isFalse();
      assertThat(e.code()).isEqualTo(code);
    }
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
