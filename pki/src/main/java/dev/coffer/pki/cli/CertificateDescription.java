package dev.coffer.pki.cli;

import dev.coffer.pki.ClusterIdentity;
import java.io.PrintWriter;
import java.security.MessageDigest;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;

/** The human-readable account of certificates that {@code cert show} prints; public parts only. */
final class CertificateDescription {
  private CertificateDescription() {}

  static void print(List<X509Certificate> certificates, Clock clock, PrintWriter out)
      throws CertificateParsingException, CertificateEncodingException {
    for (int i = 0; i < certificates.size(); i++) {
      X509Certificate certificate = certificates.get(i);
      if (i > 0) {
        out.println();
      }
      out.println("Certificate " + (i + 1) + " of " + certificates.size());
      out.println("  subject:     " + certificate.getSubjectX500Principal().getName());
      out.println("  issuer:      " + certificate.getIssuerX500Principal().getName());
      out.println("  serial:      " + certificate.getSerialNumber().toString(16));
      if (certificate.getBasicConstraints() >= 0) {
        out.println("  role:        certificate authority");
      } else {
        out.println(
            "  role:        "
                + ClusterIdentity.of(certificate)
                    .map(id -> id.role().segment() + " " + id.name())
                    .orElse("none (no coffer:// identity)"));
      }
      List<String> names = alternativeNames(certificate);
      if (!names.isEmpty()) {
        out.println("  alt names:   " + String.join(", ", names));
      }
      Instant notAfter = certificate.getNotAfter().toInstant();
      out.println("  not before:  " + certificate.getNotBefore().toInstant());
      out.println("  not after:   " + notAfter + " (" + remaining(clock.instant(), notAfter) + ")");
      out.println("  sha-256:     " + fingerprint(certificate));
    }
  }

  private static List<String> alternativeNames(X509Certificate certificate)
      throws CertificateParsingException {
    List<String> names = new ArrayList<>();
    Collection<List<?>> all = certificate.getSubjectAlternativeNames();
    if (all == null) {
      return names;
    }
    for (List<?> name : all) {
      String kind =
          switch ((Integer) name.get(0)) {
            case 2 -> "DNS:";
            case 6 -> "URI:";
            case 7 -> "IP:";
            default -> "other:";
          };
      names.add(kind + name.get(1));
    }
    return names;
  }

  static String remaining(Instant now, Instant notAfter) {
    Duration left = Duration.between(now, notAfter);
    if (left.isNegative()) {
      return "EXPIRED " + left.negated().toDays() + " days ago";
    }
    return "expires in " + left.toDays() + " days";
  }

  private static String fingerprint(X509Certificate certificate)
      throws CertificateEncodingException {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
      return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
