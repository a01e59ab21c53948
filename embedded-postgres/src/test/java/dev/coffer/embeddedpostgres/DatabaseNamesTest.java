package dev.coffer.embeddedpostgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DatabaseNamesTest {

  @ParameterizedTest
  @ValueSource(strings = {"a", "app", "shard_0", "z9", "a_b_c_1_2_3", "postgres"})
  void acceptsLowerCaseIdentifiers(String name) {
    assertThat(DatabaseNames.isValid(name)).isTrue();
    assertThat(DatabaseNames.requireValid(name)).isEqualTo(name);
  }

  @Test
  void acceptsExactly63Characters() {
    assertThat(DatabaseNames.isValid("a" + "b".repeat(62))).isTrue();
    assertThat(DatabaseNames.isValid("a" + "b".repeat(63))).isFalse();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "1abc",
        "_abc",
        "App",
        "a-b",
        "a b",
        "a;drop database postgres",
        "a\"b",
        "ä",
        "a.b",
        "a\n"
      })
  void rejectsEverythingElse(String name) {
    assertThat(DatabaseNames.isValid(name)).isFalse();
    assertThatThrownBy(() -> DatabaseNames.requireValid(name))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("[a-z][a-z0-9_]{0,62}");
  }

  @Test
  void rejectsNull() {
    assertThat(DatabaseNames.isValid(null)).isFalse();
    assertThatThrownBy(() -> DatabaseNames.requireValid(null))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void externalNamesArePrefixed() {
    assertThat(ExternalPostgres.actualName("t0123456789_", "app")).isEqualTo("t0123456789_app");
  }

  @Test
  void longExternalNamesAreShortenedButStayDistinct() {
    String prefix = "t0123456789_";
    String a = "a".repeat(60) + "x";
    String b = "a".repeat(60) + "y";

    String actualA = ExternalPostgres.actualName(prefix, a);
    String actualB = ExternalPostgres.actualName(prefix, b);

    assertThat(actualA).hasSize(63).startsWith(prefix).matches(DatabaseNames.VALID.pattern());
    assertThat(actualB).hasSize(63).startsWith(prefix);
    assertThat(actualA).isNotEqualTo(actualB);
    assertThat(ExternalPostgres.actualName(prefix, a)).isEqualTo(actualA);
  }
}
