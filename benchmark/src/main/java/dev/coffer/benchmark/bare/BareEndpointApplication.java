package dev.coffer.benchmark.bare;

import com.codahale.metrics.health.HealthCheck;
import dev.coffer.service.http.CofferHttp;
import io.dropwizard.core.Application;
import io.dropwizard.core.server.AbstractServerFactory;
import io.dropwizard.core.setup.Environment;

/**
 * A server built like a data-plane host (the same Dropwizard stack and {@link CofferHttp}
 * conventions: bearer token, strict JSON, error mapping, no-store, body cap) with one resource that
 * answers a constant secret: the ceiling a host's reads are compared with.
 */
public final class BareEndpointApplication extends Application<BareEndpointConfiguration> {
  public static void main(String[] args) throws Exception {
    new BareEndpointApplication().run(args);
  }

  @Override
  public String getName() {
    return "coffer-bare-endpoint";
  }

  @Override
  public void run(BareEndpointConfiguration config, Environment environment) {
    CofferHttp.configureServer((AbstractServerFactory) config.getServerFactory());
    CofferHttp.install(environment, config.auth().adminToken());
    environment.jersey().register(new ConstantSecretResource(config.valueBytes()));
    environment
        .healthChecks()
        .register(
            "up",
            new HealthCheck() {
              @Override
              protected Result check() {
                return Result.healthy();
              }
            });
  }
}
