package dev.coffer.service.tls;

import com.codahale.metrics.health.HealthCheckRegistry;
import io.dropwizard.core.setup.Environment;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.component.ContainerLifeCycle;
import org.eclipse.jetty.util.component.LifeCycle;

/**
 * Registers a {@link TlsHealthCheck} named {@code tls-<connector>} ({@code tls-application-8443})
 * for each mtls connector of a server. Connectors are built after the application's {@code run}, so
 * the checks are registered as the server starts, before any connector opens.
 */
public final class MtlsHealthChecks {
  private MtlsHealthChecks() {}

  /** Call from {@code run}: every application gets the checks without naming its connectors. */
  public static void registerWhenStarted(Environment environment) {
    environment
        .lifecycle()
        .addEventListener(
            new LifeCycle.Listener() {
              @Override
              public void lifeCycleStarting(LifeCycle event) {
                if (event instanceof Server server) {
                  register(server, environment.healthChecks());
                }
              }
            });
  }

  static void register(Server server, HealthCheckRegistry healthChecks) {
    for (Connector connector : server.getConnectors()) {
      if (connector instanceof ContainerLifeCycle container) {
        ConnectorTls tls = container.getBean(ConnectorTls.class);
        if (tls != null) {
          healthChecks.register("tls-" + tls.name(), new TlsHealthCheck(tls.material()));
        }
      }
    }
  }
}
