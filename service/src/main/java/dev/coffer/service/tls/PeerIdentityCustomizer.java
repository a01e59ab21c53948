package dev.coffer.service.tls;

import dev.coffer.pki.ClusterIdentity;
import java.security.cert.X509Certificate;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Request;

/**
 * Puts the caller's cluster identity on each request ({@link PeerIdentity}). Runs after Jetty's
 * {@code SecureRequestCustomizer}, which exposes the TLS session. Nothing is logged per request.
 */
final class PeerIdentityCustomizer implements HttpConfiguration.Customizer {

  @Override
  public Request customize(Request request, HttpFields.Mutable responseHeaders) {
    if (request.getAttribute(EndPoint.SslSessionData.ATTRIBUTE)
        instanceof EndPoint.SslSessionData session) {
      X509Certificate[] chain = session.peerCertificates();
      if (chain != null && chain.length > 0) {
        ClusterIdentity.of(chain[0])
            .ifPresent(id -> request.setAttribute(PeerIdentity.ATTRIBUTE, id));
      }
    }
    return request;
  }
}
