package dev.coffer.dataplane.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.coffer.core.api.Headers;
import dev.coffer.core.error.CofferException;
import dev.coffer.core.error.ErrorCode;
import dev.coffer.service.admin.AdminErrors;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * {@code GET /replication/apply-times[?after=<token>&limit=]} on a host's admin port: {@link
 * ApplyTimesPages} as JSON, errors in Coffer's one format.
 *
 * <p>Open without the admin token, as {@code /metrics} is: a page holds log positions and
 * durations, no vault, secret name or value, and the port is bound to loopback. A measurement tool
 * then needs no operator credential, and the token stays for what changes a server.
 */
public final class ApplyTimesServlet extends HttpServlet {
  public static final String PATH = "/replication/apply-times";

  private static final long serialVersionUID = 1L;
  private static final ObjectWriter WRITER =
      new ObjectMapper().writerFor(ApplyTimesPages.Page.class);

  private final transient ApplyTimesPages pages;

  public ApplyTimesServlet(ApplyTimesPages pages) {
    this.pages = pages;
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    ApplyTimesPages.Page page;
    try {
      page = pages.page(oneParameter(request, "after"), oneParameter(request, "limit"));
    } catch (CofferException e) {
      AdminErrors.write(response, e.code(), e.getMessage());
      return;
    }
    response.setStatus(HttpServletResponse.SC_OK);
    response.setContentType("application/json");
    Headers.UNCACHEABLE.forEach(response::setHeader);
    response.getOutputStream().write(WRITER.writeValueAsBytes(page));
  }

  /** As on the API ports: a parameter given twice is refused, not read as its first value. */
  private static String oneParameter(HttpServletRequest request, String name) {
    String[] values;
    try {
      values = request.getParameterValues(name);
    } catch (RuntimeException e) {
      // The servlet container refuses a query it cannot decode when it is first read.
      throw new CofferException(ErrorCode.MALFORMED_REQUEST, "The query string is malformed.");
    }
    if (values == null) {
      return null;
    }
    if (values.length > 1) {
      throw new CofferException(
          ErrorCode.MALFORMED_REQUEST, "A query parameter is given more than once; give it once.");
    }
    return values[0];
  }
}
