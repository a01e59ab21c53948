package dev.coffer.service.tls;

import dev.coffer.pki.ClusterIdentity;
import jakarta.ws.rs.container.ContainerRequestContext;
import java.util.Optional;

/**
 * Who is calling over an {@code mtls} connector: the {@code coffer://<role>/<name>} identity of the
 * client certificate, for authorization to read. It is the certificate's one {@code coffer://} URI,
 * never its subject; a certificate without exactly one such URI identifies nobody.
 */
public final class PeerIdentity {
  /**
   * The request attribute (a {@link ClusterIdentity}) set for each request of an mtls connector.
   */
  public static final String ATTRIBUTE = "dev.coffer.peer-identity";

  private PeerIdentity() {}

  /** The caller's identity; empty on a plain HTTP port or for a certificate without one. */
  public static Optional<ClusterIdentity> of(ContainerRequestContext request) {
    return request.getProperty(ATTRIBUTE) instanceof ClusterIdentity identity
        ? Optional.of(identity)
        : Optional.empty();
  }
}
