package dev.coffer.embeddedpostgres;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs short-lived external commands (initdb, pg_ctl, runuser) and captures their output. */
final class Commands {

  record Result(List<String> command, int exitCode, String output) {
    boolean succeeded() {
      return exitCode == 0;
    }
  }

  private Commands() {}

  /**
   * Runs {@code command} in {@code workDir}, waiting at most {@code timeout}. Output (stdout and
   * stderr merged) goes through a temporary file rather than a pipe: pg_ctl forks the postmaster,
   * and a daemon that inherited our pipe would keep us from ever seeing end-of-stream.
   *
   * @param transcript if not null, the command line and its output are appended there as well
   */
  static Result run(List<String> command, Path workDir, Duration timeout, Path transcript) {
    Path output = null;
    try {
      output = Files.createTempFile("coffer-cmd-", ".out");
      ProcessBuilder builder =
          new ProcessBuilder(command)
              .directory(workDir.toFile())
              .redirectErrorStream(true)
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
              .redirectOutput(output.toFile());
      sanitise(builder.environment());
      Process process = builder.start();
      int exitCode;
      String suffix = "";
      if (process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        exitCode = process.exitValue();
      } else {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
        exitCode = -1;
        suffix = "\n[timed out after " + timeout.toSeconds() + " s and was killed]";
      }
      String text = Files.readString(output, StandardCharsets.UTF_8) + suffix;
      if (transcript != null) {
        appendTranscript(transcript, command, exitCode, text);
      }
      return new Result(List.copyOf(command), exitCode, text);
    } catch (IOException e) {
      throw new UncheckedIOException("could not run " + String.join(" ", command), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + command.get(0), e);
    } finally {
      if (output != null) {
        try {
          Files.deleteIfExists(output);
        } catch (IOException ignored) {
          // A stray temp file is not worth failing a server start for.
        }
      }
    }
  }

  /**
   * PG* variables (PGDATA, PGPORT, PGOPTIONS...) from the developer's shell would silently change
   * what initdb/pg_ctl/postgres do, and a translated locale would change the messages we match.
   */
  private static void sanitise(Map<String, String> environment) {
    environment.keySet().removeIf(name -> name.startsWith("PG"));
    environment.put("LC_ALL", "C");
  }

  private static void appendTranscript(
      Path transcript, List<String> command, int exitCode, String text) {
    String entry = "$ " + String.join(" ", command) + "\n" + text + "[exit " + exitCode + "]\n";
    try {
      if (!Files.exists(transcript)) {
        // Owner-only: it holds the commands' output (paths, the server account, errors).
        Files.createFile(
            transcript,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      }
      Files.writeString(
          transcript,
          entry,
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException ignored) {
      // The transcript is a debugging aid; the caller still gets the output in the Result.
    }
  }

  /** The last {@code maxLines} lines of a text file, or a note why there is nothing to show. */
  static String tail(Path file, int maxLines) {
    try {
      if (!Files.exists(file)) {
        return "(" + file + " does not exist)";
      }
      List<String> lines = Files.readAllLines(file, StandardCharsets.ISO_8859_1);
      return tail(lines, maxLines);
    } catch (IOException e) {
      return "(could not read " + file + ": " + e + ")";
    }
  }

  static String tail(String text, int maxLines) {
    return tail(text.lines().toList(), maxLines);
  }

  private static String tail(List<String> lines, int maxLines) {
    int from = Math.max(0, lines.size() - maxLines);
    String prefix = from > 0 ? "[... " + from + " earlier lines]\n" : "";
    return prefix + String.join("\n", lines.subList(from, lines.size()));
  }
}
