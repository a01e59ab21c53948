package dev.coffer.service.admin;

import dev.coffer.core.error.ErrorCode;
import dev.coffer.service.http.BearerToken;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.core.HttpHeaders;
import java.io.IOException;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the admin port serves, decided before any of Dropwizard's admin servlets sees a request: an
 * allow-list, not a deny-list, so that a servlet or task a Dropwizard upgrade adds stays
 * unreachable until it is added here.
 *
 * <ul>
 *   <li>{@code GET /healthcheck} and {@code GET /metrics}: open, as monitoring needs them (the port
 *       is bound to loopback); they carry no secret. An application adds its own open paths of that
 *       kind ({@link AdminPort#restrict}).
 *   <li>{@code POST /tasks/log-level}: only with the admin bearer token. Raising a level changes
 *       what the servers write, so it is an operator action; third-party loggers stay capped at
 *       INFO whatever it sets ({@code ThirdPartyLogCap}).
 *   <li>Everything else — Dropwizard's {@code /ping}, {@code /threads} (every thread's stack),
 *       {@code /pprof} (a CPU profile on demand, which also costs CPU), the {@code gc} task, the
 *       index page — answers 404, with or without the token.
 * </ul>
 *
 * <p>Answers are in Coffer's one error format ({@link AdminErrors}).
 */
final class AdminPortFilter implements Filter {
  static final Set<String> ALWAYS_OPEN = Set.of("/healthcheck", "/metrics");
  static final Set<String> AUTHENTICATED_TASKS = Set.of("/tasks/log-level");
  private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "DELETE");

  private static final Logger LOG = LoggerFactory.getLogger(AdminPortFilter.class);

  private final BearerToken token;
  private final Set<String> open;
  private final String notFound;

  /**
   * @param applicationPaths the GET paths an application adds to the open ones, each exact
   */
  AdminPortFilter(BearerToken token, Set<String> applicationPaths) {
    this.token = token;
    Set<String> paths = new TreeSet<>(ALWAYS_OPEN);
    paths.addAll(applicationPaths);
    this.open = Set.copyOf(paths);
    this.notFound =
        "The admin port serves " + String.join(", ", paths) + " and POST /tasks/log-level only.";
  }

  @Override
  public void doFilter(
      ServletRequest servletRequest, ServletResponse servletResponse, FilterChain chain)
      throws IOException, ServletException {
    HttpServletRequest request = (HttpServletRequest) servletRequest;
    HttpServletResponse response = (HttpServletResponse) servletResponse;
    String path = path(request);
    String method = request.getMethod();
    if (!METHODS.contains(method)) {
      // As on the API ports: a method no server of Coffer's serves is 405 whatever the path.
      response.setHeader("Allow", "GET, HEAD, POST");
      answer(response, ErrorCode.METHOD_NOT_ALLOWED, "The admin port answers GET, HEAD and POST.");
      return;
    }
    if (open.contains(path)) {
      if (method.equals("GET") || method.equals("HEAD")) {
        chain.doFilter(request, response);
      } else {
        response.setHeader("Allow", "GET, HEAD");
        answer(response, ErrorCode.METHOD_NOT_ALLOWED, path + " answers GET only.");
      }
      return;
    }
    if (AUTHENTICATED_TASKS.contains(path)) {
      BearerToken.Check check = token.check(request.getHeader(HttpHeaders.AUTHORIZATION));
      if (check != BearerToken.Check.VALID) {
        // The path is one of ours; what was presented is never logged.
        LOG.warn("Admin task {} refused: no valid admin token was presented.", path);
      }
      switch (check) {
        case MISSING ->
            answer(
                response,
                ErrorCode.UNAUTHENTICATED,
                "Admin tasks need an 'Authorization: Bearer <token>' header.");
        case INVALID ->
            answer(response, ErrorCode.UNAUTHENTICATED, "The bearer token is not valid.");
        case VALID -> {
          if (hasBody(request)) {
            // Tasks take their parameters from the query string. Dropwizard's task servlet reads
            // a body itself and answers a broken one with its own 500, out of Coffer's format.
            answer(
                response,
                ErrorCode.MALFORMED_REQUEST,
                "Admin tasks take their parameters in the query string and no body.");
          } else if (method.equals("POST")) {
            LOG.info("Admin task {} run with the admin token.", path);
            chain.doFilter(request, response);
          } else {
            response.setHeader("Allow", "POST");
            answer(response, ErrorCode.METHOD_NOT_ALLOWED, "Admin tasks are run with POST.");
          }
        }
      }
      return;
    }
    // Neither the path nor the method is logged: both are whatever the caller sent.
    LOG.debug("Admin port: answered 404 to a request outside its endpoints.");
    answer(response, ErrorCode.NOT_FOUND, notFound);
  }

  private static boolean hasBody(HttpServletRequest request) {
    return request.getContentLengthLong() > 0 || request.getHeader("Transfer-Encoding") != null;
  }

  /** The path within the admin context, decoded and normalised as the servlets dispatch on it. */
  private static String path(HttpServletRequest request) {
    String servletPath = request.getServletPath() == null ? "" : request.getServletPath();
    String pathInfo = request.getPathInfo() == null ? "" : request.getPathInfo();
    return servletPath + pathInfo;
  }

  private static void answer(HttpServletResponse response, ErrorCode code, String message)
      throws IOException {
    String allow = response.getHeader("Allow");
    response.reset();
    if (allow != null) {
      response.setHeader("Allow", allow);
    }
    AdminErrors.write(response, code, message);
  }
}
