package dev.coffer.core.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.core.error.CofferException;
import dev.coffer.core.error.ErrorCode;
import dev.coffer.core.model.SecretName;
import dev.coffer.core.model.SecretStage;
import dev.coffer.core.read.VersionSelector;
import dev.coffer.core.storage.SecretReadAccessor;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class QueryParamsTest {

  @Test
  void aReadNamesAStageOrAVersionAndDefaultsToCurrent() {
    assertThat(QueryParams.selector((String) null, null)).isEqualTo(VersionSelector.CURRENT);
    assertThat(QueryParams.selector(List.of(), null)).isEqualTo(VersionSelector.CURRENT);
    assertThat(QueryParams.selector("PREVIOUS", null))
        .isEqualTo(VersionSelector.stage(SecretStage.PREVIOUS));
    assertThat(QueryParams.selector((String) null, "3")).isEqualTo(VersionSelector.version(3));
    assertCode(() -> QueryParams.selector("CURRENT", "3"), ErrorCode.MALFORMED_REQUEST);
    assertCode(() -> QueryParams.selector("CURRENT", "x"), ErrorCode.INVALID_VERSION);
  }

  @ParameterizedTest
  @ValueSource(strings = {"current", "Current", "LATEST", "AWSCURRENT", " CURRENT", "CURRENT "})
  void stagesAreExactlyTheirCapitalNames(String raw) {
    assertCode(() -> QueryParams.selector(raw, null), ErrorCode.INVALID_STAGE);
    assertCode(() -> QueryParams.putStage(raw), ErrorCode.INVALID_STAGE);
  }

  @Test
  void anEmptyOrRepeatedStageIsNotAStage() {
    assertCode(() -> QueryParams.selector("", null), ErrorCode.INVALID_STAGE);
    assertCode(() -> QueryParams.putStage(""), ErrorCode.INVALID_STAGE);
    for (List<String> given :
        List.of(
            List.of(""),
            List.of("", ""),
            List.of("CURRENT", "PENDING"),
            List.of("PENDING", "PENDING"))) {
      assertCode(() -> QueryParams.selector(given, null), ErrorCode.INVALID_STAGE);
      assertCode(() -> QueryParams.putStage(given), ErrorCode.INVALID_STAGE);
    }
  }

  @Test
  void aPutIsCurrentByDefaultAndCanBePendingButNeverPrevious() {
    assertThat(QueryParams.putStage((String) null)).isEqualTo(SecretStage.CURRENT);
    assertThat(QueryParams.putStage(List.of())).isEqualTo(SecretStage.CURRENT);
    assertThat(QueryParams.putStage("PENDING")).isEqualTo(SecretStage.PENDING);
    assertThat(QueryParams.putStage("CURRENT")).isEqualTo(SecretStage.CURRENT);
    assertCode(() -> QueryParams.putStage("PREVIOUS"), ErrorCode.INVALID_STAGE);
  }

  @Test
  void aPromotionMustNameItsVersion() {
    assertThat(QueryParams.requiredVersion("2")).isEqualTo(2);
    assertCode(() -> QueryParams.requiredVersion(null), ErrorCode.INVALID_VERSION);
    assertCode(() -> QueryParams.requiredVersion("0"), ErrorCode.INVALID_VERSION);
  }

  private static void assertCode(Runnable call, ErrorCode code) {
    assertThatThrownBy(call::run)
        .isInstanceOfSatisfying(CofferException.class, e -> assertThat(e.code()).isEqualTo(code))
        .hasMessageEndingWith(".");
  }

  @Test
  void anAbsentVersionMeansTheLatest() {
    assertThat(QueryParams.version(null)).isEmpty();
  }

  @Test
  void anEmptyVersionIsNoVersionRatherThanTheLatest() {
    assertCode(() -> QueryParams.version(""), ErrorCode.INVALID_VERSION);
    assertCode(() -> QueryParams.selector((String) null, ""), ErrorCode.INVALID_VERSION);
  }

  @ParameterizedTest
  @CsvSource({"1,1", "2,2", "42,42", "9223372036854775807,9223372036854775807"})
  void versionsAreWholeNumbersOfAtLeastOne(String raw, long expected) {
    assertThat(QueryParams.version(raw)).isEqualTo(OptionalLong.of(expected));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "0",
        "-1",
        "-9223372036854775808",
        "9223372036854775808",
        "1.0",
        "1.5",
        "1e3",
        "0x10",
        "one",
        "latest",
        " ",
        " 1",
        "1 ",
        "1,2",
        "zq7xmarker"
      })
  void otherVersionsAreRejected(String raw) {
    assertThatThrownBy(() -> QueryParams.version(raw))
        .isInstanceOfSatisfying(
            CofferException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.INVALID_VERSION);
              assertThat(e.getMessage()).contains("at least 1").doesNotContain("zq7x");
            });
  }

  @Test
  void anAbsentLimitIsTheDefault() {
    assertThat(QueryParams.limit(null)).isEqualTo(QueryParams.DEFAULT_LIMIT).isEqualTo(100);
    assertThat(QueryParams.limit("")).isEqualTo(100);
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 100, 999, 1000})
  void limitsFrom1To1000AreAccepted(int limit) {
    assertThat(SecretReadAccessor.MAX_LIST_LIMIT).isEqualTo(1000);
    assertThat(QueryParams.limit(Integer.toString(limit))).isEqualTo(limit);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"0", "-1", "1001", "2147483647", "2147483648", "1.5", "ten", " 5", "5 ", "1e2"})
  void otherLimitsAreRejected(String raw) {
    assertThatThrownBy(() -> QueryParams.limit(raw))
        .isInstanceOfSatisfying(
            CofferException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.MALFORMED_REQUEST);
              assertThat(e.getMessage()).contains("1 to 1000");
            });
  }

  @Test
  void anAbsentAfterStartsAtTheBeginning() {
    assertThat(QueryParams.after(null)).isEmpty();
    assertThat(QueryParams.after("")).isEmpty();
  }

  @Test
  void afterIsASecretName() {
    assertThat(QueryParams.after("db-password")).contains(SecretName.of("db-password"));
    assertThat(QueryParams.after("A.b_c")).contains(SecretName.of("A.b_c"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"a/b", "..", "-x", " ", "é", "zq7xmarker/"})
  void afterRejectsWhatIsNotASecretName(String raw) {
    assertThatThrownBy(() -> QueryParams.after(raw))
        .isInstanceOfSatisfying(
            CofferException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.INVALID_SECRET_NAME);
              assertThat(e.getMessage()).doesNotContain("zq7x");
            });
  }
}
