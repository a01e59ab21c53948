package dev.coffer.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.strings;

import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/** The identity URI and its parser agree, through a real certificate too. */
class ClusterIdentityProperties {
  private static final CertificateAuthority CA = TestPki.ca("coffer");
  private static final Role[] ROLES = Role.values();
  private static final String FIRST =
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  private static final String REST = FIRST + "._-";
  private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

  private static Gen<String> names() {
    Gen<Integer> first = integers().between(0, FIRST.length() - 1);
    Gen<List<Integer>> rest =
        org.quicktheories.generators.Generate.intArrays(
                integers().between(0, 63), integers().between(0, REST.length() - 1))
            .map(array -> java.util.Arrays.stream(array).boxed().toList());
    return first.zip(
        rest,
        (head, tail) -> {
          StringBuilder name = new StringBuilder().append(FIRST.charAt(head));
          tail.forEach(i -> name.append(REST.charAt(i)));
          return name.toString();
        });
  }

  private static Gen<Role> roles() {
    return integers().between(0, ROLES.length - 1).map(i -> ROLES[i]);
  }

  @Test
  void everyIdentityParsesBackFromItsUri() {
    qt().forAll(roles(), names())
        .checkAssert(
            (role, name) -> {
              ClusterIdentity identity = new ClusterIdentity(role, name);
              assertThat(ClusterIdentity.parse(identity.uri())).isEqualTo(identity);
            });
  }

  @Test
  void everyIdentityIsReadBackFromTheCertificateIssuedForIt() {
    qt().withExamples(60)
        .forAll(roles(), names())
        .checkAssert(
            (role, name) ->
                assertThat(ClusterIdentity.of(TestPki.issue(CA, role, name).certificate()))
                    .contains(new ClusterIdentity(role, name)));
  }

  @Test
  void anyStringIsEitherAValidNameOrRefused() {
    qt().forAll(strings().allPossible().ofLengthBetween(0, 70))
        .checkAssert(
            text -> {
              if (VALID.matcher(text).matches()) {
                assertThat(ClusterIdentity.requireValidName(text)).isEqualTo(text);
              } else {
                assertThatThrownBy(() -> ClusterIdentity.requireValidName(text))
                    .isInstanceOf(IllegalArgumentException.class);
              }
            });
  }

  @Test
  void anyUriThatParsesIsExactlyTheUriOfWhatItParsedTo() {
    qt().forAll(strings().ascii().ofLengthBetween(0, 40))
        .checkAssert(
            tail -> {
              String uri = "coffer://" + tail;
              try {
                assertThat(ClusterIdentity.parse(uri).uri()).isEqualTo(uri);
              } catch (IllegalArgumentException refused) {
                // Refusing is always allowed; reading something else than was written is not.
              }
            });
  }
}
