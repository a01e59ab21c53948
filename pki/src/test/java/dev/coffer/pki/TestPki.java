package dev.coffer.pki;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Certificates for tests: CAs, role certificates, and files of them. */
public final class TestPki {
  public static final InetAddress LOOPBACK = CertificateRequest.ipAddress("127.0.0.1");

  private TestPki() {}

  public static CertificateAuthority ca(String clusterName) {
    return CertificateAuthority.generate(
        clusterName,
        Validity.startingNow(Clock.systemUTC(), Validity.DEFAULT_CA),
        Clock.systemUTC());
  }

  /** A certificate valid for localhost and 127.0.0.1. */
  public static IssuedCredential issue(CertificateAuthority ca, Role role, String name) {
    return ca.issue(
        new ClusterIdentity(role, name),
        List.of("localhost"),
        List.of(LOOPBACK),
        Validity.DEFAULT_CERTIFICATE);
  }

  public static IssuedCredential issue(
      CertificateAuthority ca, Role role, String name, Instant notBefore, Instant notAfter) {
    return ca.issue(
        new CertificateRequest(
            new ClusterIdentity(role, name),
            List.of("localhost"),
            List.of(LOOPBACK),
            new Validity(notBefore, notAfter)));
  }

  /** A certificate that expired a day ago. */
  public static IssuedCredential expired(CertificateAuthority ca, Role role, String name) {
    Instant now = Instant.now();
    return issue(ca, role, name, now.minus(Duration.ofDays(30)), now.minus(Duration.ofDays(1)));
  }

  public static void writeBundle(Path file, List<X509Certificate> cas) throws IOException {
    OwnerOnlyFiles.writePublic(file, Pem.certificates(cas).getBytes(StandardCharsets.US_ASCII));
  }

  public static void writeBundle(Path file, CertificateAuthority... cas) throws IOException {
    writeBundle(file, java.util.Arrays.stream(cas).map(CertificateAuthority::certificate).toList());
  }

  public static String read(Path file) throws IOException {
    return Files.readString(file, StandardCharsets.US_ASCII);
  }
}
