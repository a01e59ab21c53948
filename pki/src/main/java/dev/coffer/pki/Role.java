package dev.coffer.pki;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.bouncycastle.asn1.x509.KeyPurposeId;

/**
 * What a certificate's holder is in the cluster. Routers, hosts and control planes accept
 * connections and open them to each other, so their certificates serve both ends; an operator's
 * tool only connects.
 */
public enum Role {
  ROUTER("router", true),
  HOST("host", true),
  CONTROL_PLANE("control-plane", true),
  OPERATOR("operator", false);

  private final String segment;
  private final boolean server;

  Role(String segment, boolean server) {
    this.segment = segment;
    this.server = server;
  }

  /** The role as it appears in the identity URI and on the command line, e.g. {@code router}. */
  public String segment() {
    return segment;
  }

  /** Whether the holder also accepts TLS connections (and so needs a DNS or IP SAN). */
  public boolean isServer() {
    return server;
  }

  /** serverAuth and clientAuth for the servers, clientAuth alone for an operator. */
  List<KeyPurposeId> extendedKeyUsages() {
    return server
        ? List.of(KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth)
        : List.of(KeyPurposeId.id_kp_clientAuth);
  }

  /** The role named by {@code text}: its segment ({@code control-plane}) or constant name. */
  public static Optional<Role> parse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    String wanted = text.trim().toLowerCase(Locale.ROOT).replace('_', '-');
    return Arrays.stream(values()).filter(role -> role.segment.equals(wanted)).findFirst();
  }
}
