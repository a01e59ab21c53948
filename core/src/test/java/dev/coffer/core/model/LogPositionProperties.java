package dev.coffer.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.lists;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

class LogPositionProperties {

  /**
   * An independent oracle: both parts zero-padded to the width of Long.MAX_VALUE, so string order
   * is (txId, seq) lexicographic order.
   */
  private static String key(LogPosition p) {
    return String.format("%019d.%019d", p.txId(), p.seq());
  }

  @Test
  void compareToIsLexicographicOnTxIdThenSeq() {
    qt().withExamples(500)
        .forAll(positions(), positions())
        .checkAssert(
            (a, b) ->
                assertThat(Integer.signum(a.compareTo(b)))
                    .isEqualTo(Integer.signum(key(a).compareTo(key(b)))));
  }

  @Test
  void compareToIsAntisymmetricAndConsistentWithEquals() {
    qt().withExamples(500)
        .forAll(positions(), positions())
        .checkAssert(
            (a, b) -> {
              assertThat(Integer.signum(a.compareTo(b))).isEqualTo(-Integer.signum(b.compareTo(a)));
              assertThat(a.compareTo(b) == 0).isEqualTo(a.equals(b));
              assertThat(a.isAtLeast(b)).isEqualTo(a.compareTo(b) >= 0);
              assertThat(LogPosition.max(a, b)).isEqualTo(a.compareTo(b) >= 0 ? a : b);
              assertThat(LogPosition.max(a, b)).isEqualTo(LogPosition.max(b, a));
            });
  }

  @Test
  void compareToIsTransitive() {
    qt().withExamples(300)
        .forAll(positions(), positions(), positions())
        .checkAssert(
            (a, b, c) -> {
              if (a.compareTo(b) <= 0 && b.compareTo(c) <= 0) {
                assertThat(a.compareTo(c)).isNotPositive();
              }
              if (a.compareTo(b) < 0 && b.compareTo(c) <= 0) {
                assertThat(a.compareTo(c)).isNegative();
              }
            });
  }

  @Test
  void sortingAgreesWithTheOracle() {
    qt().withExamples(200)
        .forAll(lists().of(positions()).ofSizeBetween(0, 20))
        .checkAssert(
            positions -> {
              List<LogPosition> sorted = new ArrayList<>(positions);
              sorted.sort(Comparator.naturalOrder());
              List<LogPosition> byKey = new ArrayList<>(positions);
              byKey.sort(Comparator.comparing(LogPositionProperties::key));

              assertThat(sorted).isEqualTo(byKey);
            });
  }

  @Test
  void parseInvertsToString() {
    qt().withExamples(500)
        .forAll(positions())
        .checkAssert(
            p -> {
              String text = p.toString();

              assertThat(text).matches("(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)");
              assertThat(LogPosition.parse(text)).isEqualTo(p);
            });
  }

  @Test
  void everyPositionIsAtLeastZero() {
    assertThat(new LogPosition(0, 1).isAtLeast(LogPosition.ZERO)).isTrue();
    assertThat(LogPosition.ZERO.isAtLeast(new LogPosition(0, 1))).isFalse();
    assertThat(new LogPosition(2, 0)).isGreaterThan(new LogPosition(1, Long.MAX_VALUE));
    assertThat(new LogPosition(1234, 56).toString()).isEqualTo("1234.56");
  }

  @Test
  void rejectsNegativeParts() {
    assertThatThrownBy(() -> new LogPosition(-1, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new LogPosition(0, -1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new LogPosition(Long.MIN_VALUE, 5))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void parseRejectsMalformedText() {
    for (String text :
        List.of(
            "",
            ".",
            "1",
            "1.",
            ".1",
            "a.b",
            "1.b",
            "1.2.3",
            "-1.2",
            "1.-2",
            "1 .2",
            "1.2 ",
            "9223372036854775808.0",
            "0.9223372036854775808")) {
      assertThatThrownBy(() -> LogPosition.parse(text))
          .as(text)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  private static Gen<LogPosition> positions() {
    return ModelGenerators.logPositions();
  }
}
