package dev.coffer.service.tls;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonTypeName;
import dev.coffer.pki.tls.ReloadingTlsMaterial;
import dev.coffer.pki.tls.ReloadingTlsMaterial.Options;
import dev.coffer.pki.tls.ReloadingTlsMaterial.TlsMaterialException;
import dev.coffer.pki.tls.TlsFiles;
import io.dropwizard.jetty.HttpConnectorFactory;
import io.dropwizard.metrics.jetty12.InstrumentedConnectionFactory;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MinDuration;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpScheme;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;
import org.eclipse.jetty.util.thread.ThreadPool;

/**
 * A Dropwizard connector ({@code type: mtls}) that speaks HTTP/1.1 over TLS 1.3 or 1.2 and admits
 * only clients presenting a certificate of a CA in the bundle: the cluster's routers, control
 * planes and operator tools. The certificate, key and bundle are files in the cluster PKI's format
 * ({@code docs/pki.md}), read again when they change: a new connection's handshake uses the newest
 * files, connections already open keep theirs.
 *
 * <pre>
 * server:
 *   applicationConnectors:
 *     - type: mtls
 *       bindHost: 10.0.0.5
 *       port: 8410
 *       certificate: /etc/coffer/tls/host-1-a.crt   # the chain, leaf first
 *       key: /etc/coffer/tls/host-1-a.key           # PKCS#8 PEM
 *       caBundle: /etc/coffer/tls/ca.crt
 *       reloadInterval: 5s                          # optional
 *       expiryWarning: 14d                          # optional
 * </pre>
 *
 * <p>Everything else of the {@code http} type (port, bind host, limits, timeouts) applies. Errors
 * Jetty answers itself and the allowed methods are the server's, set by {@code CofferHttp}, so they
 * are the same as on a plain connector. The material is loaded, and must be usable, when the
 * connector is built; its metrics are registered then ({@link ConnectorTls}), its health check once
 * the server has started ({@code CofferHttp.install}).
 */
@JsonTypeName("mtls")
public class MtlsConnectorFactory extends HttpConnectorFactory {
  private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

  @NotEmpty @JsonProperty private String certificate;

  @NotEmpty @JsonProperty private String key;

  @NotEmpty @JsonProperty private String caBundle;

  @NotNull
  @MinDuration(value = 1, unit = TimeUnit.MILLISECONDS)
  @JsonProperty
  private Duration reloadInterval = Duration.seconds(5);

  @NotNull @JsonProperty private Duration expiryWarning = Duration.days(14);

  public String getCertificate() {
    return certificate;
  }

  public void setCertificate(String certificate) {
    this.certificate = certificate;
  }

  public String getKey() {
    return key;
  }

  public void setKey(String key) {
    this.key = key;
  }

  public String getCaBundle() {
    return caBundle;
  }

  public void setCaBundle(String caBundle) {
    this.caBundle = caBundle;
  }

  public Duration getReloadInterval() {
    return reloadInterval;
  }

  public void setReloadInterval(Duration reloadInterval) {
    this.reloadInterval = reloadInterval;
  }

  public Duration getExpiryWarning() {
    return expiryWarning;
  }

  public void setExpiryWarning(Duration expiryWarning) {
    this.expiryWarning = expiryWarning;
  }

  public TlsFiles files() {
    return new TlsFiles(Path.of(certificate), Path.of(key), Path.of(caBundle));
  }

  @Override
  public Connector build(
      Server server, MetricRegistry metrics, String name, ThreadPool threadPool) {
    ReloadingTlsMaterial material = startMaterial();
    ConnectorTls tls;
    try {
      tls = new ConnectorTls(name + "-" + getPort(), material, metrics);
    } catch (IllegalArgumentException e) {
      material.close();
      throw new IllegalStateException(
          "Two mtls connectors named " + name + " share the port " + getPort(), e);
    }

    HttpConfiguration httpConfig = buildHttpConfiguration();
    httpConfig.setSecureScheme(HttpScheme.HTTPS.asString());
    httpConfig.setSecurePort(getPort());
    // No SNI checks: clients dial addresses and check the server's name themselves, and a server
    // has one certificate.
    httpConfig.addCustomizer(new SecureRequestCustomizer(false, false, -1, false));
    httpConfig.addCustomizer(new PeerIdentityCustomizer());
    HttpConnectionFactory http = buildHttpConnectionFactory(httpConfig);

    SslConnectionFactory ssl =
        new SslConnectionFactory(sslContextFactory(tls.material()), http.getProtocol());
    ssl.addBean(tls.handshakeListener());

    ServerConnector connector =
        buildConnector(
            server,
            new ScheduledExecutorScheduler(),
            buildBufferPool(),
            name,
            threadPool,
            new InstrumentedConnectionFactory(ssl, metrics.timer(httpConnections())),
            http);
    connector.addBean(tls);
    return connector;
  }

  private ReloadingTlsMaterial startMaterial() {
    Options options =
        Options.DEFAULTS
            .withCheckInterval(reloadInterval.toJavaDuration())
            .withWarnBefore(expiryWarning.toJavaDuration());
    try {
      return ReloadingTlsMaterial.start(files(), options);
    } catch (TlsMaterialException e) {
      // The message names the files and what is wrong with them, never their content.
      throw new IllegalStateException("The mtls connector cannot start: " + e.getMessage());
    }
  }

  /**
   * Jetty makes each connection's engine from {@code material}'s context, which always starts on
   * the newest generation of the files (and never resumes a session of an older one).
   */
  static SslContextFactory.Server sslContextFactory(ReloadingTlsMaterial material) {
    SslContextFactory.Server factory = new SslContextFactory.Server();
    factory.setSslContext(material.sslContext());
    factory.setNeedClientAuth(true);
    // The JDK negotiates the highest version both sides have: TLS 1.3 wherever the client has it.
    factory.setIncludeProtocols(PROTOCOLS);
    // Renegotiation (TLS 1.2 only) is a way to make the server do handshakes on demand.
    factory.setRenegotiationAllowed(false);
    return factory;
  }
}
