package dev.coffer.service.logging;

import io.dropwizard.core.server.AbstractServerFactory;
import io.dropwizard.logging.common.AbstractAppenderFactory;
import io.dropwizard.logging.common.AppenderFactory;
import io.dropwizard.request.logging.LogbackAccessRequestLogFactory;
import java.util.List;
import java.util.Locale;

/**
 * Refuses a request log (Dropwizard's access log) whose format would write a body or the {@code
 * Authorization} header: Logback-access can print any header ({@code %i{Authorization}}) and, with
 * the right conversion words, whole requests and responses. The default format prints neither.
 */
public final class RequestLogFormats {
  /** Lower-case fragments of conversion words (or header names) that print secrets. */
  static final List<String> FORBIDDEN =
      List.of("authorization", "requestcontent", "responsecontent", "fullrequest", "fullresponse");

  private RequestLogFormats() {}

  /** Throws if a request log appender of {@code server} has a format that prints a secret. */
  public static void requireNoSecrets(AbstractServerFactory server) {
    if (!(server.getRequestLogFactory() instanceof LogbackAccessRequestLogFactory access)) {
      return;
    }
    for (AppenderFactory<?> appender : access.getAppenders()) {
      if (appender instanceof AbstractAppenderFactory<?> configured
          && configured.getLogFormat() != null) {
        String format = configured.getLogFormat().toLowerCase(Locale.ROOT);
        for (String forbidden : FORBIDDEN) {
          if (format.contains(forbidden)) {
            throw new IllegalStateException(
                "server.requestLog: a logFormat must not print request or response bodies or the"
                    + " Authorization header (it contains '"
                    + forbidden
                    + "')");
          }
        }
      }
    }
  }
}
