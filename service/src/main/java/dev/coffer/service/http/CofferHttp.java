package dev.coffer.service.http;

import dev.coffer.service.tls.MtlsHealthChecks;
import io.dropwizard.core.server.AbstractServerFactory;
import io.dropwizard.core.setup.Environment;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Installs the conventions every Coffer service shares: one error format, bearer authentication, no
 * caching of responses, a body size cap, bodies of well-formed UTF-8. Call from each application's
 * composition root.
 */
public final class CofferHttp {
  /** Secret values are at most 64 KiB; JSON escaping can grow that several times. */
  public static final long MAX_BODY_BYTES = 512 * 1024;

  /**
   * The methods the API uses. Others (OPTIONS, TRACE, PATCH, WebDAV's, made-up ones) are 405
   * METHOD_NOT_ALLOWED before they reach the application: Coffer serves no CORS, and Jersey would
   * otherwise answer OPTIONS itself with a plain-text list.
   */
  public static final Set<String> ALLOWED_METHODS =
      Collections.unmodifiableSet(
          new LinkedHashSet<>(List.of("GET", "HEAD", "POST", "PUT", "DELETE")));

  private CofferHttp() {}

  /**
   * Server settings every Coffer service shares; call before the server is built (first in {@code
   * run}).
   *
   * <ul>
   *   <li>Dropwizard's default exception mappers answer in their own format and can echo Jackson's
   *       message; they are switched off so that the mappers here are the only ones.
   *   <li>Only {@link #ALLOWED_METHODS}.
   *   <li>No gzip handler. Responses are not compressed: a read's answer holds a secret next to
   *       text the client chose (the names in its path), which is what a compression side channel
   *       (BREACH) needs over TLS, and the answers are small. Request bodies are not inflated by
   *       Jetty: {@link ContentEncodingFilter} does, so that the body cap counts inflated bytes and
   *       a broken stream is a 400, not a 500.
   * </ul>
   */
  public static void configureServer(AbstractServerFactory serverFactory) {
    serverFactory.setRegisterDefaultExceptionMappers(false);
    serverFactory.setAllowedMethods(ALLOWED_METHODS);
    serverFactory.getGzipFilterFactory().setEnabled(false);
  }

  private static void installErrorPages(org.eclipse.jetty.server.Server server) {
    JsonErrorPageHandler errors = new JsonErrorPageHandler();
    server.setErrorHandler(errors);
    server
        .getContainedBeans(org.eclipse.jetty.ee10.servlet.ServletContextHandler.class)
        .forEach(context -> context.setErrorHandler(errors));
  }

  /**
   * Installs the conventions on the application's Jersey and server; call from each application's
   * composition root. Also registers the health check of each {@code mtls} connector ({@link
   * MtlsHealthChecks}).
   */
  public static void install(Environment environment, String adminToken) {
    JsonConfig.strict(environment.getObjectMapper());
    environment.lifecycle().addServerLifecycleListener(server -> installErrorPages(server));
    MtlsHealthChecks.registerWhenStarted(environment);
    var jersey = environment.jersey();
    jersey.register(new ErrorJsonWriter());
    jersey.register(new PathParameterFilter());
    jersey.register(new RepeatedQueryParameterFilter());
    jersey.register(new BearerTokenFilter(adminToken));
    jersey.register(new ContentEncodingFilter());
    jersey.register(new BodySizeLimitFilter(MAX_BODY_BYTES));
    jersey.register(new StrictUtf8Bodies());
    jersey.register(new NoStoreFilter());
    jersey.register(new CofferExceptionMapper());
    jersey.register(new JsonErrorMapper());
    jersey.register(new WebErrorMapper());
    jersey.register(new UnexpectedErrorMapper());
  }
}
