package dev.coffer.pki;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Who a cluster certificate belongs to: a role and a name, carried in the certificate as the one
 * subject alternative name URI {@code coffer://<role>/<name>} (e.g. {@code
 * coffer://router/edge-1}). Authorization reads it back with {@link #of(X509Certificate)}; the
 * subject's CN repeats the name for people, but only the URI counts.
 */
public record ClusterIdentity(Role role, String name) {
  public static final String SCHEME = "coffer";

  /** Letters, digits, '.', '_' and '-', starting with a letter or digit, at most 64 characters. */
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

  private static final int SAN_URI = 6;

  public ClusterIdentity {
    Objects.requireNonNull(role, "role");
    requireValidName(name);
  }

  /** Throws {@link IllegalArgumentException} unless {@code name} may name a cluster member. */
  public static String requireValidName(String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "a name is 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit");
    }
    return name;
  }

  /** The subject alternative name URI that records this identity. */
  public String uri() {
    return SCHEME + "://" + role.segment() + "/" + name;
  }

  /**
   * The identity in a {@code coffer://<role>/<name>} URI.
   *
   * @throws IllegalArgumentException if the URI is not exactly of that form
   */
  public static ClusterIdentity parse(String uri) {
    String prefix = SCHEME + "://";
    if (uri == null || !uri.startsWith(prefix)) {
      throw new IllegalArgumentException("not a coffer:// identity URI");
    }
    String rest = uri.substring(prefix.length());
    int slash = rest.indexOf('/');
    if (slash < 0) {
      throw new IllegalArgumentException("a coffer:// identity URI is coffer://<role>/<name>");
    }
    String segment = rest.substring(0, slash);
    Role role =
        Role.parse(segment)
            .filter(r -> r.segment().equals(segment))
            .orElseThrow(() -> new IllegalArgumentException("unknown role in identity URI"));
    return new ClusterIdentity(role, rest.substring(slash + 1));
  }

  /**
   * The identity recorded in {@code certificate}, if it carries exactly one {@code coffer://} URI
   * and that URI is well formed. A certificate with two is refused as ambiguous rather than read by
   * whichever comes first.
   */
  public static Optional<ClusterIdentity> of(X509Certificate certificate) {
    List<String> uris = new ArrayList<>();
    try {
      Collection<List<?>> names = certificate.getSubjectAlternativeNames();
      if (names == null) {
        return Optional.empty();
      }
      for (List<?> name : names) {
        if (name.size() == 2
            && Integer.valueOf(SAN_URI).equals(name.get(0))
            && name.get(1) instanceof String uri
            && uri.startsWith(SCHEME + ":")) {
          uris.add(uri);
        }
      }
    } catch (CertificateParsingException e) {
      return Optional.empty();
    }
    if (uris.size() != 1) {
      return Optional.empty();
    }
    try {
      return Optional.of(parse(uris.get(0)));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  @Override
  public String toString() {
    return uri();
  }
}
