package dev.coffer.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import dev.coffer.pki.Pem.PemException;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** PEM text written by {@link Pem} reads back as what was written, and damaged text never does. */
class PemProperties {
  private static final CertificateAuthority CA = TestPki.ca("coffer");
  private static final Role[] ROLES = Role.values();

  @Test
  void privateKeysRoundTrip() {
    qt().withExamples(100)
        .forAll(integers().between(0, 1000))
        .checkAssert(
            ignored -> {
              PrivateKey key = KeyPairs.generate(new SecureRandom()).getPrivate();
              PrivateKey read = read(Pem.privateKey(key));
              assertThat(read.getEncoded()).isEqualTo(key.getEncoded());
            });
  }

  @Test
  void certificateChainsRoundTripInOrder() {
    qt().withExamples(50)
        .forAll(integers().between(1, 4), integers().between(0, ROLES.length - 1))
        .checkAssert(
            (length, role) -> {
              List<X509Certificate> chain = new ArrayList<>();
              for (int i = 0; i < length; i++) {
                chain.add(TestPki.issue(CA, ROLES[role], "m-" + i).certificate());
              }
              chain.add(CA.certificate());
              assertThat(readCertificates(Pem.certificates(chain)))
                  .containsExactlyElementsOf(chain);
            });
  }

  @Test
  void aTruncatedKeyIsRefusedWithoutQuotingIt() {
    String pem = Pem.privateKey(KeyPairs.generate(new SecureRandom()).getPrivate());
    String body = pem.lines().filter(line -> !line.startsWith("-----")).reduce("", String::concat);
    int end = pem.indexOf("-----END");
    qt().forAll(integers().between(0, end))
        .checkAssert(
            cut ->
                assertThatThrownBy(() -> Pem.readPrivateKey(pem.substring(0, cut)))
                    .isInstanceOf(PemException.class)
                    .satisfies(
                        e -> {
                          for (int i = 0; i + 8 <= body.length(); i += 8) {
                            assertThat(e.getMessage()).doesNotContain(body.substring(i, i + 8));
                          }
                        }));
  }

  @Test
  void aKeyWithAFlippedByteNeverReadsAsTheSameKey() {
    PrivateKey key = KeyPairs.generate(new SecureRandom()).getPrivate();
    byte[] der = key.getEncoded();
    qt().forAll(integers().between(0, der.length - 1), integers().between(1, 255))
        .checkAssert(
            (position, flip) -> {
              byte[] damaged = der.clone();
              damaged[position] ^= flip.byteValue();
              String pem =
                  "-----BEGIN PRIVATE KEY-----\n"
                      + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                          .encodeToString(damaged)
                      + "\n-----END PRIVATE KEY-----\n";
              try {
                assertThat(Pem.readPrivateKey(pem).getEncoded()).isNotEqualTo(der);
              } catch (PemException refused) {
                // As good as a different key: the damage is noticed.
              }
            });
  }

  @Test
  void aCertificateIsNotAKeyAndAKeyIsNotACertificate() {
    String certificate = Pem.certificate(CA.certificate());
    String key = Pem.privateKey(KeyPairs.generate(new SecureRandom()).getPrivate());

    assertThatThrownBy(() -> Pem.readPrivateKey(certificate))
        .isInstanceOf(PemException.class)
        .hasMessage("expected a private key, found a certificate");
    assertThatThrownBy(() -> Pem.readCertificates(key))
        .isInstanceOf(PemException.class)
        .hasMessage("expected only certificates, found a private key");
    assertThatThrownBy(() -> Pem.readCertificates(certificate + key))
        .isInstanceOf(PemException.class);
    assertThatThrownBy(() -> Pem.readCertificates("")).hasMessage("no certificate found");
  }

  private static PrivateKey read(String pem) {
    try {
      return Pem.readPrivateKey(pem);
    } catch (PemException e) {
      throw new AssertionError(e);
    }
  }

  private static List<X509Certificate> readCertificates(String pem) {
    try {
      return Pem.readCertificates(pem);
    } catch (PemException e) {
      throw new AssertionError(e);
    }
  }
}
