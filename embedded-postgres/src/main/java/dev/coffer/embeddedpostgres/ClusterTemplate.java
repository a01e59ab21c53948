package dev.coffer.embeddedpostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A freshly initdb'ed cluster kept in the temp directory and copied for every temporary server.
 * initdb costs about a second of CPU (several on a busy CI machine) while copying the result costs
 * a fraction of that, and tests start many servers.
 *
 * <p>One template per binaries version, initdb options and OS user that runs the server (the files
 * belong to that user and are private to it). Built once per machine with the same
 * stage-then-rename scheme as {@link PostgresBinaries}. Only temporary servers use it: copies share
 * the template's system identifier, which a persistent cluster should not.
 */
final class ClusterTemplate {

  private static final Logger LOG = LoggerFactory.getLogger(ClusterTemplate.class);
  private static final String PREFIX = "coffer-pgtemplate-";
  private static final String COMPLETE_MARKER = ".coffer-complete";
  private static final Duration INITDB_TIMEOUT = Duration.ofMinutes(3);
  private static final Duration COPY_TIMEOUT = Duration.ofMinutes(2);

  private ClusterTemplate() {}

  /**
   * The template's data directory, made by running {@code initdb} (the full command, minus the
   * target directory) if no JVM has done so yet; null if the template's place is taken by a
   * directory of another user.
   */
  static synchronized Path dataDirectory(Path base, ServerUser user, List<String> initdb) {
    Path target = base.resolve(PREFIX + key(user, initdb));
    if (Files.exists(target, LinkOption.NOFOLLOW_LINKS) && !user.owns(target)) {
      // Anyone can create this name in a shared /tmp; such a cluster must not be trusted.
      LOG.warn("Ignoring cluster template {}: not owned by {}", target, user.describe());
      return null;
    }
    if (isComplete(target)) {
      return target.resolve("data");
    }
    try {
      discardBroken(target);
      long started = System.nanoTime();
      Path staging = Files.createTempDirectory(base, target.getFileName() + ".tmp-");
      try {
        user.takeOwnership(staging);
        List<String> command = new ArrayList<>(initdb);
        command.add("-D");
        command.add(staging.resolve("data").toString());
        Commands.Result result = Commands.run(user.wrap(command), staging, INITDB_TIMEOUT, null);
        if (!result.succeeded()) {
          throw new IllegalStateException(
              "initdb failed as user "
                  + user.describe()
                  + " (exit "
                  + result.exitCode()
                  + "):\n"
                  + Commands.tail(result.output(), 40));
        }
        Files.writeString(staging.resolve(COMPLETE_MARKER), String.join(" ", initdb) + "\n");
        try {
          Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
          if (!isComplete(target)) {
            throw e;
          }
          LOG.debug("Another process created the cluster template {} first", target);
        }
      } finally {
        if (Files.exists(staging, LinkOption.NOFOLLOW_LINKS)) {
          PostgresBinaries.deleteRecursively(staging);
        }
      }
      LOG.info(
          "Created cluster template {} in {} ms",
          target,
          (System.nanoTime() - started) / 1_000_000);
      PostgresBinaries.removeAbandonedStaging(base, PREFIX);
      return target.resolve("data");
    } catch (IOException e) {
      throw new UncheckedIOException("could not create cluster template " + target, e);
    }
  }

  /** Copies the template to {@code data}, as the server user so that it owns the copy. */
  static Commands.Result copy(
      Path template, Path data, ServerUser user, Path workDir, Path transcript) {
    return Commands.run(
        user.wrap(List.of("cp", "-a", "--", template.toString(), data.toString())),
        workDir,
        COPY_TIMEOUT,
        transcript);
  }

  private static boolean isComplete(Path target) {
    return Files.isRegularFile(target.resolve(COMPLETE_MARKER))
        && Files.isRegularFile(target.resolve("data/PG_VERSION"))
        && Files.isRegularFile(target.resolve("data/global/pg_control"));
  }

  private static void discardBroken(Path target) throws IOException {
    if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    LOG.warn("Cluster template {} is incomplete; replacing it", target);
    Path aside =
        target.resolveSibling(target.getFileName() + ".broken-" + ProcessHandle.current().pid());
    try {
      Files.move(target, aside, StandardCopyOption.ATOMIC_MOVE);
    } catch (NoSuchFileException e) {
      return;
    }
    PostgresBinaries.deleteRecursively(aside);
  }

  private static String key(ServerUser user, List<String> initdb) {
    String identity = String.join("\u0000", initdb) + "\u0000" + user.describe();
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(identity.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
