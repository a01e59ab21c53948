package dev.coffer.service.logging;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dropwizard.core.server.DefaultServerFactory;
import io.dropwizard.logging.common.ConsoleAppenderFactory;
import io.dropwizard.request.logging.LogbackAccessRequestLogFactory;
import java.util.List;
import org.junit.jupiter.api.Test;

class RequestLogFormatsTest {
  private static DefaultServerFactory withFormat(String format) {
    ConsoleAppenderFactory<ch.qos.logback.access.common.spi.IAccessEvent> console =
        new ConsoleAppenderFactory<>();
    console.setLogFormat(format);
    LogbackAccessRequestLogFactory requestLog = new LogbackAccessRequestLogFactory();
    requestLog.setAppenders(List.of(console));
    DefaultServerFactory server = new DefaultServerFactory();
    server.setRequestLogFactory(requestLog);
    return server;
  }

  @Test
  void theDefaultRequestLogIsAccepted() {
    assertThatCode(() -> RequestLogFormats.requireNoSecrets(new DefaultServerFactory()))
        .doesNotThrowAnyException();
    assertThatCode(() -> RequestLogFormats.requireNoSecrets(withFormat("%h \"%r\" %s %b %D")))
        .doesNotThrowAnyException();
  }

  @Test
  void aFormatPrintingTheAuthorizationHeaderOrABodyIsRefused() {
    for (String format :
        List.of(
            "%h %i{Authorization}", "%header{authorization}", "%requestContent", "%fullResponse")) {
      assertThatThrownBy(() -> RequestLogFormats.requireNoSecrets(withFormat(format)))
          .as(format)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("server.requestLog");
    }
  }
}
