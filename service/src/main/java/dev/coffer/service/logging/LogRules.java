package dev.coffer.service.logging;

import io.dropwizard.core.server.AbstractServerFactory;

/**
 * Coffer's logging rules, which every server applies whatever its logging configuration says: no
 * third-party logger below INFO ({@link ThirdPartyLogCap}), no request log format that prints a
 * secret ({@link RequestLogFormats}), log files owner-only ({@link OwnerOnlyLogFiles}).
 */
public final class LogRules {
  private LogRules() {}

  /** From {@code Application.initialize}: the cap then also covers the operator commands. */
  public static void beforeConfiguration() {
    ThirdPartyLogCap.install();
  }

  /** From {@code Application.run}, once Dropwizard has configured logging. */
  public static void afterConfiguration(AbstractServerFactory server) {
    RequestLogFormats.requireNoSecrets(server);
    OwnerOnlyLogFiles.apply();
  }
}
