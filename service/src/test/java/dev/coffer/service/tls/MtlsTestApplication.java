package dev.coffer.service.tls;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.coffer.service.admin.AdminPort;
import dev.coffer.service.config.AuthConfig;
import dev.coffer.service.http.CofferHttp;
import dev.coffer.service.logging.LogRules;
import io.dropwizard.core.Application;
import io.dropwizard.core.Configuration;
import io.dropwizard.core.server.AbstractServerFactory;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;

/**
 * The smallest server application composed as Coffer's are: the shared conventions of {@code
 * service} and one resource. Nothing in it knows about TLS; its configuration chooses the mtls
 * connector.
 */
public final class MtlsTestApplication extends Application<MtlsTestApplication.Config> {
  public static final class Config extends Configuration {
    @Valid @NotNull @JsonProperty private AuthConfig auth;

    AuthConfig auth() {
      return auth;
    }
  }

  /** Answers with the caller's cluster identity, or {@code none}. */
  @Path("/v1/whoami")
  public static final class WhoAmI {
    @GET
    @Produces(MediaType.TEXT_PLAIN)
    public String whoAmI(@Context ContainerRequestContext request) {
      return PeerIdentity.of(request).map(Object::toString).orElse("none");
    }
  }

  @Override
  public void initialize(Bootstrap<Config> bootstrap) {
    LogRules.beforeConfiguration();
  }

  @Override
  public void run(Config config, Environment environment) {
    CofferHttp.configureServer((AbstractServerFactory) config.getServerFactory());
    AdminPort.restrict(environment, config.auth().adminToken());
    LogRules.afterConfiguration((AbstractServerFactory) config.getServerFactory());
    CofferHttp.install(environment, config.auth().adminToken());
    environment.jersey().register(new WhoAmI());
  }
}
