package dev.coffer.service.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ThirdPartyLogCapTest {
  private LoggerContext context;
  private ListAppender<ILoggingEvent> events;

  @BeforeEach
  void everyLoggerAtTrace() {
    context = new LoggerContext();
    ThirdPartyLogCap.install(context);
    attachAppender();
  }

  private void attachAppender() {
    events = new ListAppender<>();
    events.setContext(context);
    events.start();
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.addAppender(events);
    root.setLevel(Level.TRACE);
  }

  private List<String> logged() {
    return events.list.stream()
        .map(e -> e.getLoggerName() + " " + e.getLevel() + " " + e.getFormattedMessage())
        .toList();
  }

  @Test
  void librariesAtDebugOrTraceLogNothingBelowInfo() {
    for (String name :
        List.of(
            "org.eclipse.jetty.http.HttpParser",
            "org.eclipse.jetty.server.HttpConnection",
            "org.glassfish.jersey.logging.LoggingFeature",
            "com.fasterxml.jackson",
            "org.apache.hc.client5.http.wire",
            "org.postgresql.core.v3.QueryExecutorImpl",
            "io.netty.handler.logging.LoggingHandler",
            "dev.cofferx.lookalike",
            "dev")) {
      Logger logger = context.getLogger(name);
      logger.setLevel(Level.TRACE);
      logger.trace("Authorization: Bearer the-token");
      logger.debug("{\"value\":\"the-secret\"}");
      assertThat(logger.isDebugEnabled()).as(name).isFalse();
    }
    assertThat(logged()).isEmpty();
  }

  @Test
  void librariesStillLogAtInfoAndAbove() {
    Logger jetty = context.getLogger("org.eclipse.jetty.server.Server");
    jetty.info("Started");
    jetty.warn("Slow");
    jetty.error("Failed");

    assertThat(logged())
        .containsExactly(
            "org.eclipse.jetty.server.Server INFO Started",
            "org.eclipse.jetty.server.Server WARN Slow",
            "org.eclipse.jetty.server.Server ERROR Failed");
  }

  @Test
  void coffersOwnLoggersKeepEveryLevel() {
    context.getLogger("dev.coffer.replication.apply.ReplicationTailer").trace("applied batch");
    context.getLogger("dev.coffer").debug("starting");

    assertThat(logged())
        .containsExactly(
            "dev.coffer.replication.apply.ReplicationTailer TRACE applied batch",
            "dev.coffer DEBUG starting");
  }

  @Test
  void theCapSurvivesAResetOfTheContext() {
    context.reset();
    attachAppender();
    Logger jetty = context.getLogger("org.eclipse.jetty.http.HttpParser");
    jetty.setLevel(Level.TRACE);
    jetty.debug("Authorization: Bearer the-token");

    assertThat(logged()).isEmpty();
    assertThat(context.getTurboFilterList()).hasSize(1);
  }

  @Test
  void installingTwiceAddsOneFilter() {
    ThirdPartyLogCap.install(context);

    assertThat(context.getTurboFilterList()).hasSize(1);
  }
}
