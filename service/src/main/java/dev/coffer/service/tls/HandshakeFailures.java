package dev.coffer.service.tls;

import com.codahale.metrics.Meter;
import org.eclipse.jetty.io.ssl.SslHandshakeListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts refused handshakes. A client without a certificate, with one from another CA, an expired
 * one or plain HTTP on the TLS port each fail the handshake; a flood of such clients must not flood
 * the log, so each is one mark on a meter and one DEBUG line without a stack trace.
 */
final class HandshakeFailures implements SslHandshakeListener {
  private static final Logger LOG = LoggerFactory.getLogger(HandshakeFailures.class);

  private final String connector;
  private final Meter meter;

  HandshakeFailures(String connector, Meter meter) {
    this.connector = connector;
    this.meter = meter;
  }

  @Override
  public void handshakeFailed(Event event, Throwable failure) {
    meter.mark();
    if (LOG.isDebugEnabled()) {
      // The JDK's reason names the check that failed (an empty chain, a path that does not
      // validate); it quotes no key material.
      LOG.debug(
          "TLS handshake refused on {} from {}: {}: {}",
          connector,
          event.getEndPoint().getRemoteSocketAddress(),
          failure.getClass().getSimpleName(),
          failure.getMessage());
    }
  }
}
