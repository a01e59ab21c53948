package dev.coffer.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.core.error.CofferException;
import dev.coffer.core.error.ErrorCode;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The identifier types accept exactly their documented character sets and lengths, and reject
 * everything else with their own error code and without echoing the input.
 */
class NameTypesTest {
  /** Something that cannot appear in a rule text by accident. */
  private static final String MARKER = "zq7xmarkerk9";

  @SuppressWarnings("ImmutableEnumChecker") // the parsers are references to static factories
  private enum Kind {
    VAULT(VaultName::of, ErrorCode.INVALID_VAULT_NAME),
    SECRET(SecretName::of, ErrorCode.INVALID_SECRET_NAME),
    SHARD(ShardId::of, ErrorCode.INVALID_SHARD),
    HOST(HostId::of, ErrorCode.MALFORMED_REQUEST);

    final Function<String, Object> parse;
    final ErrorCode code;

    Kind(Function<String, Object> parse, ErrorCode code) {
      this.parse = parse;
      this.code = code;
    }
  }

  static Stream<Arguments> accepted() {
    return Stream.of(
        // VaultName: [a-z], then [a-z0-9-], not ending in '-', 1..63
        Arguments.of(Kind.VAULT, "a"),
        Arguments.of(Kind.VAULT, "z9"),
        Arguments.of(Kind.VAULT, "a-b"),
        Arguments.of(Kind.VAULT, "a--1"),
        Arguments.of(Kind.VAULT, "payments-prod-2"),
        Arguments.of(Kind.VAULT, "a".repeat(63)),
        Arguments.of(Kind.VAULT, "a" + "-".repeat(61) + "0"),
        // SecretName: [A-Za-z0-9], then [A-Za-z0-9._-], 1..255
        Arguments.of(Kind.SECRET, "a"),
        Arguments.of(Kind.SECRET, "Z"),
        Arguments.of(Kind.SECRET, "7"),
        Arguments.of(Kind.SECRET, "DB_PASSWORD"),
        Arguments.of(Kind.SECRET, "tls.cert-v2"),
        Arguments.of(Kind.SECRET, "a-"),
        Arguments.of(Kind.SECRET, "a."),
        Arguments.of(Kind.SECRET, "a..b"),
        Arguments.of(Kind.SECRET, "0" + "._-".repeat(84) + "x".repeat(2)),
        Arguments.of(Kind.SECRET, "S".repeat(255)),
        // ShardId: [a-z], then [a-z0-9-], 1..32 (a trailing '-' is allowed)
        Arguments.of(Kind.SHARD, "s"),
        Arguments.of(Kind.SHARD, "shard-1"),
        Arguments.of(Kind.SHARD, "shard-"),
        Arguments.of(Kind.SHARD, "s".repeat(32)),
        // HostId: [a-z], then [a-z0-9-], 1..63
        Arguments.of(Kind.HOST, "h"),
        Arguments.of(Kind.HOST, "shard-1-host-a"),
        Arguments.of(Kind.HOST, "h".repeat(63)));
  }

  static Stream<Arguments> rejected() {
    List<String> everywhere =
        List.of(
            "", "/", "a/b", "..", "-a", "a b", " a", "a ", "a\n", "a\t", "é", "aé", "a\u0000",
            "\uff41", // fullwidth 'a'
            "\u212a", // Kelvin sign, which case-folds to 'k'
            "a:b", "a%2F", "a\\b");
    Stream<Arguments> common =
        Stream.of(Kind.values())
            .flatMap(kind -> everywhere.stream().map(input -> Arguments.of(kind, input)));
    Stream<Arguments> specific =
        Stream.of(
            Arguments.of(Kind.VAULT, "a".repeat(64)),
            Arguments.of(Kind.VAULT, "A"),
            Arguments.of(Kind.VAULT, "aB"),
            Arguments.of(Kind.VAULT, "1a"),
            Arguments.of(Kind.VAULT, "a-"),
            Arguments.of(Kind.VAULT, "a.b"),
            Arguments.of(Kind.VAULT, "a_b"),
            Arguments.of(Kind.SECRET, "S".repeat(256)),
            Arguments.of(Kind.SECRET, ".a"),
            Arguments.of(Kind.SECRET, "_a"),
            Arguments.of(Kind.SECRET, "a+b"),
            Arguments.of(Kind.SECRET, "a@b"),
            Arguments.of(Kind.SHARD, "s".repeat(33)),
            Arguments.of(Kind.SHARD, "Shard-1"),
            Arguments.of(Kind.SHARD, "1shard"),
            Arguments.of(Kind.SHARD, "shard_1"),
            Arguments.of(Kind.SHARD, "shard.1"),
            Arguments.of(Kind.HOST, "h".repeat(64)),
            Arguments.of(Kind.HOST, "Host"),
            Arguments.of(Kind.HOST, "1host"),
            Arguments.of(Kind.HOST, "host_a"));
    return Stream.concat(common, specific);
  }

  /** Invalid inputs that carry the marker: bad characters, and too long but otherwise valid. */
  static Stream<Arguments> rejectedWithMarker() {
    return Stream.of(
        Arguments.of(Kind.VAULT, MARKER + "/x"),
        Arguments.of(Kind.VAULT, MARKER.toUpperCase(Locale.ROOT)),
        Arguments.of(Kind.VAULT, MARKER + "a".repeat(64)),
        Arguments.of(Kind.SECRET, MARKER + " x"),
        Arguments.of(Kind.SECRET, "-" + MARKER),
        Arguments.of(Kind.SECRET, MARKER + "a".repeat(255)),
        Arguments.of(Kind.SHARD, MARKER + "/"),
        Arguments.of(Kind.SHARD, MARKER + "a".repeat(32)),
        Arguments.of(Kind.HOST, MARKER + "."),
        Arguments.of(Kind.HOST, MARKER + "a".repeat(63)));
  }

  @ParameterizedTest(name = "{0} accepts \"{1}\"")
  @MethodSource("accepted")
  void acceptsDocumentedForms(Kind kind, String input) {
    Object parsed = kind.parse.apply(input);

    assertThat(parsed.toString()).isEqualTo(input);
    assertThat(kind.parse.apply(new String(input))).isEqualTo(parsed);
  }

  @ParameterizedTest(name = "{0} rejects \"{1}\"")
  @MethodSource("rejected")
  void rejectsEverythingElseWithItsCode(Kind kind, String input) {
    assertThatThrownBy(() -> kind.parse.apply(input))
        .isInstanceOfSatisfying(
            CofferException.class,
            e -> {
              assertThat(e.code()).isEqualTo(kind.code);
              assertThat(e.getMessage()).isNotBlank();
            });
  }

  @ParameterizedTest(name = "{0} rejects null")
  @MethodSource("kinds")
  void rejectsNull(Kind kind) {
    assertThatThrownBy(() -> kind.parse.apply(null))
        .isInstanceOfSatisfying(
            CofferException.class, e -> assertThat(e.code()).isEqualTo(kind.code));
  }

  static Stream<Kind> kinds() {
    return Stream.of(Kind.values());
  }

  @ParameterizedTest(name = "{0} does not echo \"{1}\"")
  @MethodSource("rejectedWithMarker")
  void rejectionDoesNotEchoTheInput(Kind kind, String input) {
    assertThatThrownBy(() -> kind.parse.apply(input))
        .isInstanceOfSatisfying(
            CofferException.class,
            e -> {
              assertThat(e.code()).isEqualTo(kind.code);
              assertThat(e.getMessage()).doesNotContainIgnoringCase(MARKER);
            });
  }

  @Test
  void namesCompareAsTheirText() {
    assertThat(VaultName.of("a").compareTo(VaultName.of("b"))).isNegative();
    assertThat(VaultName.of("ab").compareTo(VaultName.of("a"))).isPositive();
    assertThat(SecretName.of("B").compareTo(SecretName.of("a"))).isNegative();
    assertThat(ShardId.of("shard-10").compareTo(ShardId.of("shard-2"))).isNegative();
    assertThat(HostId.of("h-a").compareTo(HostId.of("h-a"))).isZero();
    assertThat(SecretName.of("Db")).isNotEqualTo(SecretName.of("db"));
  }
}
