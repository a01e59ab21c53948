package dev.coffer.pki;

import dev.coffer.pki.Pem.PemException;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The cluster CA: one ECDSA P-256 key that signs every router, host, control plane and operator
 * certificate, and nothing else. Its certificate may sign end-entity certificates only
 * (basicConstraints CA, pathLen 0; keyCertSign and cRLSign).
 *
 * <p>On disk it is a directory holding {@value #CERTIFICATE_FILE} (public) and {@value #KEY_FILE}
 * (rw-------), the directory itself rwx------ when this class creates it.
 */
public final class CertificateAuthority {
  public static final String CERTIFICATE_FILE = "ca.crt";
  public static final String KEY_FILE = "ca.key";

  private static final int SAN_DNS = 2;
  private static final int SAN_IP = 7;

  private final X509Certificate certificate;
  private final PrivateKey privateKey;
  private final Clock clock;
  private final SecureRandom random;

  private CertificateAuthority(
      X509Certificate certificate, PrivateKey privateKey, Clock clock, SecureRandom random) {
    this.certificate = certificate;
    this.privateKey = privateKey;
    this.clock = clock;
    this.random = random;
  }

  /** A new CA in memory, named {@code <clusterName> cluster CA}. */
  public static CertificateAuthority generate(String clusterName, Validity validity, Clock clock) {
    ClusterIdentity.requireValidName(clusterName);
    SecureRandom random = new SecureRandom();
    KeyPair keys = KeyPairs.generate(random);
    X500Name subject =
        new X500NameBuilder(BCStyle.INSTANCE)
            .addRDN(BCStyle.O, "Coffer")
            .addRDN(BCStyle.CN, clusterName + " cluster CA")
            .build();
    try {
      JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
                  subject,
                  serial(random),
                  Date.from(validity.notBefore()),
                  Date.from(validity.notAfter()),
                  subject,
                  keys.getPublic())
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
              .addExtension(
                  Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
              .addExtension(
                  Extension.subjectKeyIdentifier,
                  false,
                  extensions.createSubjectKeyIdentifier(keys.getPublic()));
      X509Certificate certificate = sign(builder, keys.getPrivate());
      return new CertificateAuthority(certificate, keys.getPrivate(), clock, random);
    } catch (GeneralSecurityException | CertIOException e) {
      throw new IllegalStateException("could not create the CA certificate", e);
    }
  }

  /**
   * Creates a CA and writes it to {@code directory}.
   *
   * @throws FileAlreadyExistsException if the directory already holds a CA: a CA is never
   *     overwritten, since every certificate it signed would stop being trusted
   */
  public static CertificateAuthority create(Path directory, String clusterName, Duration validity)
      throws IOException {
    Clock clock = Clock.systemUTC();
    refuseExisting(directory);
    CertificateAuthority authority =
        generate(clusterName, Validity.startingNow(clock, validity), clock);
    authority.write(directory);
    return authority;
  }

  /** The CA in {@code directory}, or a new one written there if it holds none. */
  public static CertificateAuthority loadOrCreate(Path directory, String clusterName)
      throws IOException, PemException {
    if (Files.exists(directory.resolve(KEY_FILE))) {
      return load(directory);
    }
    return create(directory, clusterName, Validity.DEFAULT_CA);
  }

  /** Reads the CA in {@code directory}; its key must belong to its certificate. */
  public static CertificateAuthority load(Path directory) throws IOException, PemException {
    return load(directory, Clock.systemUTC());
  }

  public static CertificateAuthority load(Path directory, Clock clock)
      throws IOException, PemException {
    List<X509Certificate> certificates =
        Pem.readCertificates(Files.readString(directory.resolve(CERTIFICATE_FILE)));
    PrivateKey key = Pem.readPrivateKey(Files.readString(directory.resolve(KEY_FILE)));
    X509Certificate certificate = certificates.get(0);
    if (certificate.getBasicConstraints() < 0) {
      throw new PemException(CERTIFICATE_FILE + " is not a CA certificate");
    }
    if (!KeyPairs.matches(key, certificate.getPublicKey())) {
      throw new PemException(KEY_FILE + " does not belong to " + CERTIFICATE_FILE);
    }
    return new CertificateAuthority(certificate, key, clock, new SecureRandom());
  }

  /** Writes {@value #CERTIFICATE_FILE} and {@value #KEY_FILE}; the key first, owner-only. */
  public void write(Path directory) throws IOException {
    Path target = OwnerOnlyFiles.ensurePrivateDirectory(directory);
    OwnerOnlyFiles.writePrivate(
        target.resolve(KEY_FILE), Pem.privateKey(privateKey).getBytes(StandardCharsets.US_ASCII));
    OwnerOnlyFiles.writePublic(
        target.resolve(CERTIFICATE_FILE),
        Pem.certificate(certificate).getBytes(StandardCharsets.US_ASCII));
  }

  public X509Certificate certificate() {
    return certificate;
  }

  /** A new key pair and a certificate for it, signed by this CA; the chain ends with the CA. */
  public IssuedCredential issue(CertificateRequest request) {
    KeyPair keys = KeyPairs.generate(random);
    ClusterIdentity identity = request.identity();
    Role role = identity.role();
    X500Name subject =
        new X500NameBuilder(BCStyle.INSTANCE)
            .addRDN(BCStyle.O, "Coffer")
            .addRDN(BCStyle.OU, role.segment())
            .addRDN(BCStyle.CN, identity.name())
            .build();
    List<GeneralName> names = new ArrayList<>();
    names.add(new GeneralName(GeneralName.uniformResourceIdentifier, identity.uri()));
    for (String dns : request.dnsNames()) {
      names.add(new GeneralName(GeneralName.dNSName, dns));
    }
    for (InetAddress ip : request.ipAddresses()) {
      names.add(new GeneralName(GeneralName.iPAddress, ip.getHostAddress()));
    }
    try {
      JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
                  certificate,
                  serial(random),
                  Date.from(request.validity().notBefore()),
                  Date.from(request.validity().notAfter()),
                  subject,
                  keys.getPublic())
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
              .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
              .addExtension(
                  Extension.extendedKeyUsage,
                  false,
                  new ExtendedKeyUsage(role.extendedKeyUsages().toArray(KeyPurposeId[]::new)))
              .addExtension(
                  Extension.subjectAlternativeName,
                  false,
                  new GeneralNames(names.toArray(GeneralName[]::new)))
              .addExtension(
                  Extension.subjectKeyIdentifier,
                  false,
                  extensions.createSubjectKeyIdentifier(keys.getPublic()))
              .addExtension(
                  Extension.authorityKeyIdentifier,
                  false,
                  extensions.createAuthorityKeyIdentifier(certificate.getPublicKey()));
      return new IssuedCredential(
          keys.getPrivate(), List.of(sign(builder, privateKey), certificate));
    } catch (GeneralSecurityException | CertIOException e) {
      throw new IllegalStateException("could not issue a certificate for " + identity, e);
    }
  }

  /** A certificate of {@code length} from now for {@code identity}. */
  public IssuedCredential issue(
      ClusterIdentity identity, List<String> dnsNames, List<InetAddress> ips, Duration length) {
    return issue(
        new CertificateRequest(identity, dnsNames, ips, Validity.startingNow(clock, length)));
  }

  /**
   * The request that would reissue {@code existing}: the same role, name, DNS names and IP
   * addresses, valid for {@code length} from now. The existing certificate need not be from this
   * CA, so a cluster moving to a new CA renews into it.
   *
   * @throws IllegalArgumentException if {@code existing} is not a cluster certificate
   */
  public CertificateRequest renewal(X509Certificate existing, Duration length) {
    ClusterIdentity identity =
        ClusterIdentity.of(existing)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "the certificate has no coffer:// identity; issue a new one instead"));
    List<String> dns = new ArrayList<>();
    List<InetAddress> ips = new ArrayList<>();
    try {
      Collection<List<?>> names =
          Objects.requireNonNullElse(existing.getSubjectAlternativeNames(), List.of());
      for (List<?> name : names) {
        Object type = name.get(0);
        if (Integer.valueOf(SAN_DNS).equals(type)) {
          dns.add((String) name.get(1));
        } else if (Integer.valueOf(SAN_IP).equals(type)) {
          ips.add(CertificateRequest.ipAddress((String) name.get(1)));
        }
      }
    } catch (CertificateParsingException e) {
      throw new IllegalArgumentException("the certificate's alternative names are unreadable");
    }
    return new CertificateRequest(identity, dns, ips, Validity.startingNow(clock, length));
  }

  /** Reissues {@code existing} with a new key, for as long as it was valid before. */
  public IssuedCredential renew(X509Certificate existing) {
    Duration original =
        Duration.between(existing.getNotBefore().toInstant(), existing.getNotAfter().toInstant())
            .minus(Validity.CLOCK_SKEW);
    return issue(
        renewal(existing, original.isNegative() ? Validity.DEFAULT_CERTIFICATE : original));
  }

  public IssuedCredential renew(X509Certificate existing, Duration length) {
    return issue(renewal(existing, length));
  }

  private static void refuseExisting(Path directory) throws FileAlreadyExistsException {
    for (String file : List.of(KEY_FILE, CERTIFICATE_FILE)) {
      if (Files.exists(directory.resolve(file))) {
        throw new FileAlreadyExistsException(
            directory.resolve(file).toString(), null, "a CA already exists there");
      }
    }
  }

  /** A random positive 128-bit serial: unpredictable, so collisions cannot be arranged. */
  private static BigInteger serial(SecureRandom random) {
    BigInteger serial;
    do {
      serial = new BigInteger(128, random);
    } while (serial.signum() == 0);
    return serial;
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey key)
      throws GeneralSecurityException {
    try {
      ContentSigner signer = new JcaContentSignerBuilder(KeyPairs.SIGNATURE_ALGORITHM).build(key);
      X509CertificateHolder holder = builder.build(signer);
      return new JcaX509CertificateConverter().getCertificate(holder);
    } catch (OperatorCreationException e) {
      throw new GeneralSecurityException("no " + KeyPairs.SIGNATURE_ALGORITHM + " signer");
    }
  }

  /** The CA's public key, for checking what it signed. */
  public PublicKey publicKey() {
    return certificate.getPublicKey();
  }

  @Override
  public String toString() {
    return "CertificateAuthority[" + certificate.getSubjectX500Principal().getName() + "]";
  }
}
