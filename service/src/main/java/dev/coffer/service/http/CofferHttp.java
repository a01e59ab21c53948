package dev.coffer.service.http;

import io.dropwizard.core.server.AbstractServerFactory;
import io.dropwizard.core.setup.Environment;

/**
 * Installs the conventions every Coffer service shares: one error format, bearer authentication, no
 * caching of responses, a body size cap. Call from each application's composition root.
 */
public final class CofferHttp {
  /** Secret values are at most 64 KiB; JSON escaping can grow that several times. */
  public static final long MAX_BODY_BYTES = 512 * 1024;

  private CofferHttp() {}

  /**
   * Dropwizard's default mappers answer in their own format and can echo Jackson's message; they
   * are switched off so that the mappers here are the only ones.
   */
  public static void disableDefaultExceptionMappers(AbstractServerFactory serverFactory) {
    serverFactory.setRegisterDefaultExceptionMappers(false);
  }

  private static void installErrorPages(org.eclipse.jetty.server.Server server) {
    JsonErrorPageHandler errors = new JsonErrorPageHandler();
    server.setErrorHandler(errors);
    server
        .getContainedBeans(org.eclipse.jetty.ee10.servlet.ServletContextHandler.class)
        .forEach(context -> context.setErrorHandler(errors));
  }

  public static void install(Environment environment, String adminToken) {
    JsonConfig.strict(environment.getObjectMapper());
    environment.lifecycle().addServerLifecycleListener(server -> installErrorPages(server));
    var jersey = environment.jersey();
    jersey.register(new BearerTokenFilter(adminToken));
    jersey.register(new BodySizeLimitFilter(MAX_BODY_BYTES));
    jersey.register(new NoStoreFilter());
    jersey.register(new CofferExceptionMapper());
    jersey.register(new JsonErrorMapper());
    jersey.register(new WebErrorMapper());
    jersey.register(new UnexpectedErrorMapper());
  }
}
