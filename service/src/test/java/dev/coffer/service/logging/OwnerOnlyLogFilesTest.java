package dev.coffer.service.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.FileAppender;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OwnerOnlyLogFilesTest {
  @TempDir Path directory;

  @Test
  void aFileAppendersFileBehindAnAsyncAppenderBecomesOwnerOnly() throws Exception {
    LoggerContext context = new LoggerContext();
    Path log = directory.resolve("server.log");
    Files.createFile(
        log, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--")));
    FileAppender<ILoggingEvent> file = new FileAppender<>();
    file.setContext(context);
    file.setFile(log.toString());
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern("%m%n");
    encoder.start();
    file.setEncoder(encoder);
    file.start();
    AsyncAppender async = new AsyncAppender();
    async.setContext(context);
    async.addAppender(file);
    async.start();
    context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(async);

    assertThat(OwnerOnlyLogFiles.apply(context)).containsExactly(log);

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(log)))
        .isEqualTo("rw-------");
    context.stop();
  }
}
