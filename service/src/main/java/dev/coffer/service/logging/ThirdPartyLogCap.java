package dev.coffer.service.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggerContextListener;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;

/**
 * Drops every log event below INFO from loggers outside Coffer's own packages, whatever their level
 * is set to.
 *
 * <p>At DEBUG and TRACE, libraries write what crosses the wire: Jetty its parsed headers (among
 * them {@code Authorization}) and buffers, Jersey and Jackson request and response bodies, the
 * PostgreSQL driver its statements and parameters. Those are secret values and tokens. Dropwizard's
 * {@code log-level} task (and the configuration) can raise any logger to TRACE; this filter is
 * checked before any logger's level, so no such change can make a library log below INFO. Coffer's
 * own loggers keep every level: its code never logs a value, a body or a token.
 *
 * <p>A turbo filter is removed by {@link LoggerContext#reset()}; {@link #install} also registers a
 * reset-resistant listener that puts it back after every reset.
 */
public final class ThirdPartyLogCap extends TurboFilter {
  /** Loggers under this prefix (Coffer's own) are not capped. */
  public static final String OWN_PACKAGES = "dev.coffer";

  private static final String NAME = "coffer-third-party-log-cap";

  private ThirdPartyLogCap() {
    setName(NAME);
  }

  /** Installs the cap on the logging context of this JVM (Logback's, as Dropwizard uses). */
  public static void install() {
    install((LoggerContext) LoggerFactory.getILoggerFactory());
  }

  /** Installs the cap on {@code context}, once; it survives resets of the context. */
  public static synchronized void install(LoggerContext context) {
    if (context.getCopyOfListenerList().stream().anyMatch(Reinstaller.class::isInstance)) {
      return;
    }
    addTo(context);
    context.addListener(new Reinstaller());
  }

  private static void addTo(LoggerContext context) {
    ThirdPartyLogCap cap = new ThirdPartyLogCap();
    cap.setContext(context);
    cap.start();
    context.addTurboFilter(cap);
  }

  /** Whether a logger of this name is capped at INFO. */
  static boolean capped(String loggerName) {
    return !(loggerName.equals(OWN_PACKAGES) || loggerName.startsWith(OWN_PACKAGES + "."));
  }

  @Override
  public FilterReply decide(
      Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
    if (level != null && !level.isGreaterOrEqual(Level.INFO) && capped(logger.getName())) {
      return FilterReply.DENY;
    }
    return FilterReply.NEUTRAL;
  }

  /** Puts the cap back after a reset, which clears every turbo filter. */
  private static final class Reinstaller implements LoggerContextListener {
    @Override
    public boolean isResetResistant() {
      return true;
    }

    @Override
    public void onStart(LoggerContext context) {}

    @Override
    public void onReset(LoggerContext context) {
      addTo(context);
    }

    @Override
    public void onStop(LoggerContext context) {}

    @Override
    public void onLevelChange(Logger logger, Level level) {}
  }
}
