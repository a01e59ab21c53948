package dev.coffer.pki;

import dev.coffer.pki.Pem.PemException;
import dev.coffer.pki.tls.TlsFiles;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * A deployment's whole PKI in one directory, generated on first start and kept usable on later
 * ones: for a local or test deployment, where one process may hold the CA key.
 *
 * <pre>
 *   root/ca/ca.crt, ca.key          the cluster CA (directory rwx------, key rw-------)
 *   root/certs/ca.crt               the CA bundle every member trusts
 *   root/certs/&lt;name&gt;.crt, .key  each member's chain and key
 * </pre>
 *
 * A member's certificate is issued when missing and reissued (same identity, new key) when it
 * expires within {@link #RENEW_BEFORE}, was signed by another CA, or no longer names the addresses
 * asked for. A production cluster keeps the CA key offline and uses the commands instead.
 */
public final class LocalPki {
  public static final Duration RENEW_BEFORE = Duration.ofDays(14);

  private final Path certificates;
  private final CertificateAuthority authority;
  private final Clock clock;

  private LocalPki(Path certificates, CertificateAuthority authority, Clock clock) {
    this.certificates = certificates;
    this.authority = authority;
    this.clock = clock;
  }

  /** The PKI under {@code root}, with a CA named after {@code clusterName} created if absent. */
  public static LocalPki open(Path root, String clusterName) throws IOException, PemException {
    CertificateAuthority authority =
        CertificateAuthority.loadOrCreate(root.resolve("ca"), clusterName);
    Path certificates = OwnerOnlyFiles.ensurePrivateDirectory(root.resolve("certs"));
    OwnerOnlyFiles.writePublic(
        certificates.resolve(CertificateAuthority.CERTIFICATE_FILE),
        Pem.certificate(authority.certificate()).getBytes(StandardCharsets.US_ASCII));
    return new LocalPki(certificates, authority, Clock.systemUTC());
  }

  public CertificateAuthority authority() {
    return authority;
  }

  /** The files of a member with this identity and these addresses, issued or renewed as needed. */
  public TlsFiles member(ClusterIdentity identity, List<String> dns, List<InetAddress> ips)
      throws IOException {
    TlsFiles files = TlsFiles.inDirectory(certificates, identity.name());
    if (!usable(files, identity, dns, ips)) {
      authority
          .issue(identity, dns, ips, Validity.DEFAULT_CERTIFICATE)
          .write(files.certificateChain(), files.privateKey());
    }
    return files;
  }

  private boolean usable(
      TlsFiles files, ClusterIdentity identity, List<String> dns, List<InetAddress> ips)
      throws IOException {
    if (!Files.exists(files.certificateChain()) || !Files.exists(files.privateKey())) {
      return false;
    }
    try {
      X509Certificate certificate =
          Pem.readCertificates(Files.readString(files.certificateChain())).get(0);
      certificate.verify(authority.publicKey());
      CertificateRequest wanted = new CertificateRequest(identity, dns, ips, oneDay());
      CertificateRequest existing = authority.renewal(certificate, Duration.ofDays(1));
      return existing.identity().equals(wanted.identity())
          && existing.dnsNames().equals(wanted.dnsNames())
          && existing.ipAddresses().equals(wanted.ipAddresses())
          && certificate.getNotAfter().toInstant().isAfter(clock.instant().plus(RENEW_BEFORE))
          && KeyPairs.matches(
              Pem.readPrivateKey(Files.readString(files.privateKey())), certificate.getPublicKey());
    } catch (PemException | GeneralSecurityException | IllegalArgumentException e) {
      return false;
    }
  }

  private Validity oneDay() {
    return Validity.startingNow(clock, Duration.ofDays(1));
  }
}
