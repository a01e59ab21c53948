package dev.coffer.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.pki.Pem.PemException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertificateAuthorityTest {
  private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
  private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
  private static final int DIGITAL_SIGNATURE = 0;
  private static final int KEY_CERT_SIGN = 5;
  private static final int CRL_SIGN = 6;

  private static final CertificateAuthority CA = TestPki.ca("coffer");

  @TempDir Path directory;

  @Test
  void theCaMaySignEndEntityCertificatesOnly() {
    X509Certificate ca = CA.certificate();

    assertThat(ca.getBasicConstraints()).as("CA, pathLen 0").isZero();
    assertThat(ca.getCriticalExtensionOIDs()).contains("2.5.29.19", "2.5.29.15");
    boolean[] usage = ca.getKeyUsage();
    assertThat(usage[KEY_CERT_SIGN]).isTrue();
    assertThat(usage[CRL_SIGN]).isTrue();
    assertThat(usage[DIGITAL_SIGNATURE]).isFalse();
    assertThat(ca.getSigAlgName()).isEqualTo("SHA256withECDSA");
    assertThat(ca.getPublicKey().getAlgorithm()).isEqualTo("EC");
    assertThat(ca.getSubjectX500Principal().getName()).isEqualTo("CN=coffer cluster CA,O=Coffer");
    assertThat(Duration.between(Instant.now(), ca.getNotAfter().toInstant()).toDays())
        .isBetween(3648L, 3650L);
  }

  @Test
  void serversAreServersAndClientsAndAnOperatorOnlyAClient() throws Exception {
    for (Role role : List.of(Role.ROUTER, Role.HOST, Role.CONTROL_PLANE)) {
      X509Certificate certificate = TestPki.issue(CA, role, "m").certificate();
      assertThat(certificate.getExtendedKeyUsage())
          .as(role.name())
          .containsExactly(SERVER_AUTH, CLIENT_AUTH);
    }
    X509Certificate operator = TestPki.issue(CA, Role.OPERATOR, "alice").certificate();
    assertThat(operator.getExtendedKeyUsage()).containsExactly(CLIENT_AUTH);
  }

  @Test
  void aRoleCertificateSignsOnlyHandshakesAndNamesItsHolder() throws Exception {
    X509Certificate host =
        CA.issue(
                new ClusterIdentity(Role.HOST, "host-1-a"),
                List.of("host-1-a.coffer.internal", "localhost"),
                List.of(TestPki.LOOPBACK, CertificateRequest.ipAddress("::1")),
                Validity.DEFAULT_CERTIFICATE)
            .certificate();

    assertThat(host.getBasicConstraints()).isEqualTo(-1);
    boolean[] usage = host.getKeyUsage();
    assertThat(usage[DIGITAL_SIGNATURE]).isTrue();
    assertThat(usage[KEY_CERT_SIGN]).isFalse();
    assertThat(host.getCriticalExtensionOIDs()).contains("2.5.29.15");
    assertThat(host.getSubjectAlternativeNames())
        .containsExactly(
            List.of(6, "coffer://host/host-1-a"),
            List.of(2, "host-1-a.coffer.internal"),
            List.of(2, "localhost"),
            List.of(7, "127.0.0.1"),
            List.of(7, "0:0:0:0:0:0:0:1"));
    assertThat(host.getSubjectX500Principal().getName()).isEqualTo("CN=host-1-a,OU=host,O=Coffer");
    assertThat(host.getIssuerX500Principal()).isEqualTo(CA.certificate().getSubjectX500Principal());
    assertThat(host.getSigAlgName()).isEqualTo("SHA256withECDSA");
  }

  @Test
  void theChainIsTheCertificateThenTheCaAndValidatesUnderPkix() throws Exception {
    IssuedCredential credential = TestPki.issue(CA, Role.ROUTER, "edge-1");

    assertThat(credential.chain()).containsExactly(credential.certificate(), CA.certificate());
    validate(credential.certificate(), CA.certificate());
    assertThatThrownBy(() -> validate(credential.certificate(), TestPki.ca("coffer").certificate()))
        .isInstanceOf(CertPathValidatorException.class);
  }

  @Test
  void serialsAreRandomPositive128BitNumbers() {
    Set<BigInteger> serials = new HashSet<>();
    for (int i = 0; i < 50; i++) {
      BigInteger serial = TestPki.issue(CA, Role.OPERATOR, "o").certificate().getSerialNumber();
      assertThat(serial.signum()).isPositive();
      assertThat(serial.bitLength()).isLessThanOrEqualTo(128);
      serials.add(serial);
    }
    assertThat(serials).hasSize(50);
    // Of 50 random 128-bit numbers, some use the top bits: not a counter.
    assertThat(serials.stream().mapToInt(BigInteger::bitLength).max().getAsInt())
        .isGreaterThan(120);
  }

  @Test
  void certificatesLast90DaysByDefaultAndStartAFewMinutesBack() {
    X509Certificate certificate = TestPki.issue(CA, Role.HOST, "h").certificate();
    Instant now = Instant.now();

    assertThat(Duration.between(now, certificate.getNotAfter().toInstant()).toHours())
        .isBetween(89L * 24, 90L * 24);
    assertThat(Duration.between(certificate.getNotBefore().toInstant(), now))
        .isBetween(Duration.ofMinutes(4), Duration.ofMinutes(6));
  }

  @Test
  void serversMustNameAnAddressAndOperatorsNeedNot() throws Exception {
    assertThatThrownBy(
            () ->
                CA.issue(
                    new ClusterIdentity(Role.HOST, "h"), List.of(), List.of(), Duration.ofDays(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least one DNS name or IP address");
    assertThat(
            CA.issue(
                    new ClusterIdentity(Role.OPERATOR, "alice"),
                    List.of(),
                    List.of(),
                    Duration.ofDays(1))
                .certificate()
                .getSubjectAlternativeNames())
        .containsExactly(List.of(6, "coffer://operator/alice"));
  }

  @Test
  void addressesAreLiteralsAndNamesAreDnsNames() {
    assertThatThrownBy(() -> CertificateRequest.ipAddress("localhost"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CertificateRequest.ipAddress("300.1.1.1"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                CA.issue(
                    new ClusterIdentity(Role.HOST, "h"),
                    List.of("bad name"),
                    List.of(),
                    Duration.ofDays(1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void renewalKeepsTheIdentityAndNamesWithANewKeySerialAndPeriod() throws Exception {
    IssuedCredential old =
        TestPki.issue(
            CA,
            Role.CONTROL_PLANE,
            "cp-1",
            Instant.now().minus(Duration.ofDays(29)),
            Instant.now().plus(Duration.ofDays(1)));

    IssuedCredential renewed = CA.renew(old.certificate());

    X509Certificate certificate = renewed.certificate();
    assertThat(certificate.getSubjectAlternativeNames())
        .containsExactlyElementsOf(old.certificate().getSubjectAlternativeNames());
    assertThat(certificate.getSubjectX500Principal())
        .isEqualTo(old.certificate().getSubjectX500Principal());
    assertThat(certificate.getExtendedKeyUsage())
        .isEqualTo(old.certificate().getExtendedKeyUsage());
    assertThat(certificate.getPublicKey()).isNotEqualTo(old.certificate().getPublicKey());
    assertThat(certificate.getSerialNumber()).isNotEqualTo(old.certificate().getSerialNumber());
    assertThat(Duration.between(Instant.now(), certificate.getNotAfter().toInstant()).toDays())
        .as("as long as the old one was valid: 30 days")
        .isBetween(29L, 30L);
    assertThat(CA.renew(old.certificate(), Duration.ofDays(7)).certificate().getNotAfter())
        .isBefore(certificate.getNotAfter());
  }

  @Test
  void onlyClusterCertificatesCanBeRenewed() throws Exception {
    X509Certificate plain =
        ClusterIdentityTest.selfSigned(
            new org.bouncycastle.asn1.x509.GeneralName(
                org.bouncycastle.asn1.x509.GeneralName.dNSName, "example.org"));

    assertThatThrownBy(() -> CA.renew(plain))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no coffer:// identity");
  }

  @Test
  void aCaIsWrittenOwnerOnlyAndReadBack() throws Exception {
    Path caDirectory = directory.resolve("ca");
    CertificateAuthority created =
        CertificateAuthority.create(caDirectory, "prod", Duration.ofDays(365));

    assertThat(Files.getPosixFilePermissions(caDirectory))
        .isEqualTo(OwnerOnlyFiles.OWNER_ONLY_DIRECTORY);
    assertThat(Files.getPosixFilePermissions(caDirectory.resolve("ca.key")))
        .isEqualTo(OwnerOnlyFiles.OWNER_ONLY);
    assertThat(Files.getPosixFilePermissions(caDirectory.resolve("ca.crt")))
        .isEqualTo(OwnerOnlyFiles.PUBLIC_READ);
    assertThat(TestPki.read(caDirectory.resolve("ca.key")))
        .startsWith("-----BEGIN PRIVATE KEY-----");

    CertificateAuthority loaded = CertificateAuthority.load(caDirectory);
    assertThat(loaded.certificate()).isEqualTo(created.certificate());
    validate(TestPki.issue(loaded, Role.HOST, "h").certificate(), created.certificate());
  }

  @Test
  void anExistingCaIsNeverReplaced() throws Exception {
    Path caDirectory = directory.resolve("ca");
    CertificateAuthority first =
        CertificateAuthority.create(caDirectory, "prod", Duration.ofDays(365));
    String key = TestPki.read(caDirectory.resolve("ca.key"));

    assertThatThrownBy(() -> CertificateAuthority.create(caDirectory, "prod", Duration.ofDays(365)))
        .isInstanceOf(FileAlreadyExistsException.class);
    assertThat(TestPki.read(caDirectory.resolve("ca.key"))).isEqualTo(key);
    assertThat(CertificateAuthority.loadOrCreate(caDirectory, "prod").certificate())
        .isEqualTo(first.certificate());
  }

  @Test
  void aCaWhoseKeyIsNotItsOwnIsRefused() throws Exception {
    Path caDirectory = directory.resolve("ca");
    CertificateAuthority.create(caDirectory, "prod", Duration.ofDays(365));
    Files.writeString(
        caDirectory.resolve("ca.key"),
        Pem.privateKey(KeyPairs.generate(new java.security.SecureRandom()).getPrivate()),
        StandardCharsets.US_ASCII);

    assertThatThrownBy(() -> CertificateAuthority.load(caDirectory))
        .isInstanceOf(PemException.class)
        .hasMessage("ca.key does not belong to ca.crt");
  }

  @Test
  void aLeafCertificateIsNotACa() throws Exception {
    Path caDirectory = directory.resolve("ca");
    CertificateAuthority.create(caDirectory, "prod", Duration.ofDays(365));
    IssuedCredential leaf = TestPki.issue(CA, Role.HOST, "h");
    leaf.write(caDirectory.resolve("ca.crt"), caDirectory.resolve("ca.key"));

    assertThatThrownBy(() -> CertificateAuthority.load(caDirectory))
        .isInstanceOf(PemException.class)
        .hasMessage("ca.crt is not a CA certificate");
  }

  static void validate(X509Certificate leaf, X509Certificate anchor) throws Exception {
    PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(anchor, null)));
    parameters.setRevocationEnabled(false);
    CertPathValidator.getInstance("PKIX")
        .validate(
            CertificateFactory.getInstance("X.509").generateCertPath(List.of(leaf)), parameters);
  }
}
