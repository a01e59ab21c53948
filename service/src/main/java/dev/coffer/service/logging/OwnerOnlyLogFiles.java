package dev.coffer.service.logging;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.AsyncAppenderBase;
import ch.qos.logback.core.FileAppender;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Makes the files of configured file appenders owner-only (0600) once logging is configured:
 * Logback creates them with the process umask, usually 0644, and a server's log names vaults,
 * secrets and hosts. Archives a rolling appender makes later follow the umask again; run the
 * servers with umask 077 (systemd {@code UMask=0077}) for those, as the local deployment does.
 */
public final class OwnerOnlyLogFiles {
  private OwnerOnlyLogFiles() {}

  /** Call from each application's {@code run}, after Dropwizard has configured logging. */
  public static List<Path> apply() {
    return apply((LoggerContext) LoggerFactory.getILoggerFactory());
  }

  /** Restricts every file appender's file in {@code context}; returns the files. */
  public static List<Path> apply(LoggerContext context) {
    List<Path> files = new ArrayList<>();
    for (Logger logger : context.getLoggerList()) {
      for (Iterator<Appender<ILoggingEvent>> it = logger.iteratorForAppenders(); it.hasNext(); ) {
        collect(it.next(), files);
      }
    }
    for (Path file : files) {
      try {
        if (Files.exists(file)) {
          Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        }
      } catch (IOException e) {
        throw new UncheckedIOException("could not make the log file " + file + " owner-only", e);
      }
    }
    return files;
  }

  private static void collect(Appender<ILoggingEvent> appender, List<Path> files) {
    if (appender instanceof FileAppender<ILoggingEvent> file && file.getFile() != null) {
      files.add(Path.of(file.getFile()).toAbsolutePath());
    } else if (appender instanceof AsyncAppenderBase<ILoggingEvent> async) {
      for (Iterator<Appender<ILoggingEvent>> it = async.iteratorForAppenders(); it.hasNext(); ) {
        collect(it.next(), files);
      }
    }
  }
}
