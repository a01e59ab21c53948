package dev.coffer.service.tls;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import dev.coffer.pki.tls.ReloadingTlsMaterial;
import org.eclipse.jetty.io.ssl.SslHandshakeListener;
import org.eclipse.jetty.util.component.AbstractLifeCycle;

/**
 * The TLS side of one {@code mtls} connector: its reloading key material, its metrics, and what its
 * health check reads. A bean of the connector, so that stopping the server stops the polling of the
 * files.
 *
 * <p>Metrics, under {@code coffer.tls.<connector>} where the connector is named by its group and
 * port ({@code application-8443}):
 *
 * <ul>
 *   <li>{@code certificate.seconds-to-expiry}, {@code ca.seconds-to-expiry}: gauges, negative once
 *       expired; the CA's is the earliest expiry in the bundle.
 *   <li>{@code reload-failures}: a gauge of changed files that could not be loaded.
 *   <li>{@code handshake-failures}: a meter of refused handshakes.
 * </ul>
 */
final class ConnectorTls extends AbstractLifeCycle {
  private final String name;
  private final ReloadingTlsMaterial material;
  private final Meter handshakeFailures;

  ConnectorTls(String name, ReloadingTlsMaterial material, MetricRegistry metrics) {
    this.name = name;
    this.material = material;
    String prefix = MetricRegistry.name("coffer", "tls", name);
    metrics.register(
        MetricRegistry.name(prefix, "certificate", "seconds-to-expiry"),
        (Gauge<Long>) () -> material.timeToExpiry().toSeconds());
    metrics.register(
        MetricRegistry.name(prefix, "ca", "seconds-to-expiry"),
        (Gauge<Long>) () -> material.caTimeToExpiry().toSeconds());
    metrics.register(
        MetricRegistry.name(prefix, "reload-failures"), (Gauge<Long>) material::failedReloads);
    this.handshakeFailures = metrics.meter(MetricRegistry.name(prefix, "handshake-failures"));
  }

  /** The connector's name in metric and health check names: {@code application-8443}. */
  String name() {
    return name;
  }

  ReloadingTlsMaterial material() {
    return material;
  }

  SslHandshakeListener handshakeListener() {
    return new HandshakeFailures(name, handshakeFailures);
  }

  @Override
  protected void doStop() {
    material.close();
  }
}
