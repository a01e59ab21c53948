package dev.coffer.testkit.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class DatabaseNameProperties {

  @Property
  void everyValidNameMapsToAValidDistinctExternalName(
      @ForAll("validNames") String a, @ForAll("validNames") String b) {
    String prefix = "tabcdef0123_";
    String actualA = ExternalPostgres.actualName(prefix, a);
    String actualB = ExternalPostgres.actualName(prefix, b);

    assertThat(DatabaseNames.isValid(actualA)).isTrue();
    assertThat(actualA).startsWith(prefix);
    if (!a.equals(b)) {
      assertThat(actualA).isNotEqualTo(actualB);
    }
  }

  @Property
  void generatedNamesAreAcceptedAndUpperCaseIsNot(@ForAll("validNames") String name) {
    assertThat(DatabaseNames.isValid(name)).isTrue();
    assertThat(DatabaseNames.isValid(name.toUpperCase(java.util.Locale.ROOT))).isFalse();
  }

  @Provide
  Arbitrary<String> validNames() {
    Arbitrary<Character> first = Arbitraries.chars().range('a', 'z');
    Arbitrary<String> rest =
        Arbitraries.strings()
            .withCharRange('a', 'z')
            .withCharRange('0', '9')
            .withChars('_')
            .ofMinLength(0)
            .ofMaxLength(62);
    return net.jqwik.api.Combinators.combine(first, rest).as((f, r) -> f + r);
  }
}
