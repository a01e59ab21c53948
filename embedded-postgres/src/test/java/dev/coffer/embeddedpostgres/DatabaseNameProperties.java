package dev.coffer.embeddedpostgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.lists;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

class DatabaseNameProperties {

  @Test
  void everyValidNameMapsToAValidDistinctExternalName() {
    qt().withExamples(1000)
        .forAll(validNames(), validNames())
        .checkAssert(DatabaseNameProperties::mapsToAValidDistinctExternalName);
  }

  private static void mapsToAValidDistinctExternalName(String a, String b) {
    String prefix = "tabcdef0123_";
    String actualA = ExternalPostgres.actualName(prefix, a);
    String actualB = ExternalPostgres.actualName(prefix, b);

    assertThat(DatabaseNames.isValid(actualA)).isTrue();
    assertThat(actualA).startsWith(prefix);
    if (!a.equals(b)) {
      assertThat(actualA).isNotEqualTo(actualB);
    }
  }

  @Test
  void generatedNamesAreAcceptedAndUpperCaseIsNot() {
    qt().withExamples(1000)
        .forAll(validNames())
        .checkAssert(
            name -> {
              assertThat(DatabaseNames.isValid(name)).isTrue();
              assertThat(DatabaseNames.isValid(name.toUpperCase(java.util.Locale.ROOT))).isFalse();
            });
  }

  /** A lower-case letter, then 0 to 62 of lower-case letters, digits and underscores. */
  private static Gen<String> validNames() {
    Gen<Character> first = Generate.characters('a', 'z');
    Gen<Character> other = Generate.pick(chars("abcdefghijklmnopqrstuvwxyz0123456789_"));
    return first.zip(
        lists().of(other).ofSizeBetween(0, 62),
        (f, rest) -> {
          StringBuilder name = new StringBuilder().append(f);
          rest.forEach(name::append);
          return name.toString();
        });
  }

  private static List<Character> chars(String text) {
    List<Character> chars = new ArrayList<>();
    for (int i = 0; i < text.length(); i++) {
      chars.add(text.charAt(i));
    }
    return chars;
  }
}
