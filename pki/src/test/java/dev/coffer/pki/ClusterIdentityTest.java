package dev.coffer.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;

class ClusterIdentityTest {
  private static final CertificateAuthority CA = TestPki.ca("coffer");

  @Test
  void theUriNamesTheRoleAndTheName() {
    assertThat(new ClusterIdentity(Role.ROUTER, "edge-1").uri())
        .isEqualTo("coffer://router/edge-1");
    assertThat(new ClusterIdentity(Role.CONTROL_PLANE, "cp").uri())
        .isEqualTo("coffer://control-plane/cp");
    assertThat(ClusterIdentity.parse("coffer://operator/alice"))
        .isEqualTo(new ClusterIdentity(Role.OPERATOR, "alice"));
  }

  @Test
  void malformedUrisAreRefused() {
    for (String uri :
        List.of(
            "",
            "coffer://router",
            "coffer://router/",
            "coffer://admin/alice",
            "coffer://ROUTER/edge",
            "coffer://control_plane/cp",
            "coffer://router/a/b",
            "coffer://router/../x",
            "https://router/edge",
            "coffer:/router/edge")) {
      assertThatThrownBy(() -> ClusterIdentity.parse(uri))
          .as(uri)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void namesAreShortAndFileSystemSafe() {
    assertThat(ClusterIdentity.requireValidName("host-1.a_b")).isEqualTo("host-1.a_b");
    for (String bad : List.of("", ".", "..", "-x", "a/b", "a b", "x".repeat(65), "é")) {
      assertThatThrownBy(() -> ClusterIdentity.requireValidName(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void theIdentityIsReadBackFromAnIssuedCertificate() {
    IssuedCredential credential = TestPki.issue(CA, Role.HOST, "host-7");

    assertThat(ClusterIdentity.of(credential.certificate()))
        .contains(new ClusterIdentity(Role.HOST, "host-7"));
    assertThat(ClusterIdentity.of(CA.certificate())).isEmpty();
  }

  @Test
  void aCertificateWithTwoIdentitiesHasNone() throws Exception {
    X509Certificate twoUris =
        selfSigned(
            new GeneralName(GeneralName.uniformResourceIdentifier, "coffer://operator/alice"),
            new GeneralName(GeneralName.uniformResourceIdentifier, "coffer://router/edge-1"));
    X509Certificate malformed =
        selfSigned(new GeneralName(GeneralName.uniformResourceIdentifier, "coffer://root/alice"));
    X509Certificate otherScheme =
        selfSigned(
            new GeneralName(GeneralName.uniformResourceIdentifier, "spiffe://coffer/router/e"),
            new GeneralName(GeneralName.uniformResourceIdentifier, "coffer://router/edge-1"));

    assertThat(ClusterIdentity.of(twoUris)).isEmpty();
    assertThat(ClusterIdentity.of(malformed)).isEmpty();
    assertThat(ClusterIdentity.of(otherScheme))
        .contains(new ClusterIdentity(Role.ROUTER, "edge-1"));
  }

  @Test
  void rolesParseFromTheirSegmentOrConstantName() {
    assertThat(Role.parse("control-plane")).contains(Role.CONTROL_PLANE);
    assertThat(Role.parse("CONTROL_PLANE")).contains(Role.CONTROL_PLANE);
    assertThat(Role.parse("Router")).contains(Role.ROUTER);
    assertThat(Role.parse("admin")).isEmpty();
    assertThat(Role.parse(null)).isEmpty();
  }

  static X509Certificate selfSigned(GeneralName... names) throws Exception {
    KeyPair keys = KeyPairs.generate(new SecureRandom());
    X500Name subject = new X500Name("CN=test");
    Instant now = Instant.now();
    X509v3CertificateBuilder builder =
        new JcaX509v3CertificateBuilder(
                subject,
                BigInteger.ONE,
                Date.from(now),
                Date.from(now.plusSeconds(3600)),
                subject,
                keys.getPublic())
            .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
    return new JcaX509CertificateConverter()
        .getCertificate(
            builder.build(
                new JcaContentSignerBuilder(KeyPairs.SIGNATURE_ALGORITHM)
                    .build(keys.getPrivate())));
  }
}
