package dev.coffer.embeddedpostgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PostgresUrlTest {

  @Test
  void parsesLibpqUri() {
    PostgresUrl url = PostgresUrl.parse("postgresql://alice:s3cret@db.example.com:6543/maint");

    assertThat(url.host()).isEqualTo("db.example.com");
    assertThat(url.port()).isEqualTo(6543);
    assertThat(url.user()).isEqualTo("alice");
    assertThat(url.password()).isEqualTo("s3cret");
    assertThat(url.database()).isEqualTo("maint");
    assertThat(url.parameters()).isEmpty();
  }

  @Test
  void acceptsPostgresSchemeAlias() {
    PostgresUrl url = PostgresUrl.parse("postgres://bob@10.0.0.5/postgres");

    assertThat(url.host()).isEqualTo("10.0.0.5");
    assertThat(url.port()).isEqualTo(5432);
    assertThat(url.user()).isEqualTo("bob");
    assertThat(url.password()).isEmpty();
  }

  @Test
  void parsesJdbcUrlWithCredentialsInQuery() {
    PostgresUrl url =
        PostgresUrl.parse(
            "jdbc:postgresql://pg.internal:5433/postgres?user=ci&password=p%40ss&sslmode=require");

    assertThat(url.host()).isEqualTo("pg.internal");
    assertThat(url.port()).isEqualTo(5433);
    assertThat(url.user()).isEqualTo("ci");
    assertThat(url.password()).isEqualTo("p@ss");
    assertThat(url.database()).isEqualTo("postgres");
    assertThat(url.parameters()).containsExactly(Map.entry("sslmode", "require"));
  }

  @Test
  void schemeIsCaseInsensitive() {
    assertThat(PostgresUrl.parse("JDBC:PostgreSQL://h:1/d").host()).isEqualTo("h");
  }

  @Test
  void defaultsWhenPartsAreMissing() {
    PostgresUrl url = PostgresUrl.parse("postgresql://");

    assertThat(url.host()).isEqualTo("localhost");
    assertThat(url.port()).isEqualTo(5432);
    assertThat(url.user()).isEqualTo("postgres");
    assertThat(url.password()).isEmpty();
    assertThat(url.database()).isEqualTo("postgres");
  }

  @Test
  void queryCredentialsWinOverUserInfo() {
    PostgresUrl url = PostgresUrl.parse("postgresql://a:b@h/db?user=c&password=d");

    assertThat(url.user()).isEqualTo("c");
    assertThat(url.password()).isEqualTo("d");
  }

  @Test
  void percentDecodesUserInfoAndKeepsPlusInLibpqUris() {
    PostgresUrl url = PostgresUrl.parse("postgresql://us%65r:a+b%2Fc%3A%40@h/my%20db");

    assertThat(url.user()).isEqualTo("user");
    assertThat(url.password()).isEqualTo("a+b/c:@");
    assertThat(url.database()).isEqualTo("my db");
  }

  @Test
  void plusMeansSpaceInJdbcUrlsLikeInPgjdbc() {
    assertThat(PostgresUrl.parse("jdbc:postgresql://h/d?password=a+b").password()).isEqualTo("a b");
  }

  @Test
  void decodesUtf8Escapes() {
    assertThat(PostgresUrl.parse("postgresql://j%C3%BCrgen@h/d").user()).isEqualTo("jürgen");
  }

  @Test
  void parsesBracketedIpv6Host() {
    PostgresUrl url = PostgresUrl.parse("postgresql://u:p@[::1]:5544/d");

    assertThat(url.host()).isEqualTo("::1");
    assertThat(url.port()).isEqualTo(5544);
    assertThat(url.jdbcUrl("x")).isEqualTo("jdbc:postgresql://[::1]:5544/x");
  }

  @Test
  void jdbcUrlCarriesExtraParametersButNoCredentials() {
    PostgresUrl url =
        PostgresUrl.parse(
            "postgresql://u:secret@h:5432/d?sslmode=verify-full&application_name=a b");

    assertThat(url.jdbcUrl("t0123456789_app"))
        .isEqualTo(
            "jdbc:postgresql://h:5432/t0123456789_app?sslmode=verify-full&application_name=a+b")
        .doesNotContain("secret")
        .doesNotContain("user=");
  }

  @Test
  void toStringHidesThePassword() {
    assertThat(PostgresUrl.parse("postgresql://u:hunter2@h/d").toString())
        .doesNotContain("hunter2")
        .contains("***");
  }

  @Test
  void errorMessagesHideThePassword() {
    assertThatThrownBy(() -> PostgresUrl.parse("postgresql://u:hunter2@h:notaport/d"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("notaport")
        .hasMessageNotContaining("hunter2");
    assertThatThrownBy(() -> PostgresUrl.parse("mysql://u:hunter2@h/d?password=hunter2"))
        .hasMessageNotContaining("hunter2");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "   ",
        "mysql://h/d",
        "http://h/d",
        "h:5432/d",
        "postgresql://h:0/d",
        "postgresql://h:70000/d",
        "postgresql://h:-1/d",
        "postgresql://h1:5432,h2:5432/d",
        "postgresql://[::1/d",
        "postgresql://u:%zz@h/d",
        "postgresql://u:%4@h/d",
      })
  void rejectsMalformedUrls(String text) {
    assertThatThrownBy(() -> PostgresUrl.parse(text)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rejectsNull() {
    assertThatThrownBy(() -> PostgresUrl.parse(null)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void parseAcceptsSurroundingWhitespaceFromEnvironmentFiles() {
    assertThat(PostgresUrl.parse("  postgresql://h:1/d\n").port()).isEqualTo(1);
  }
}
