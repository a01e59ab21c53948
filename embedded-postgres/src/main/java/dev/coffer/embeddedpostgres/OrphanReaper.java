package dev.coffer.embeddedpostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cleans up temporary servers whose JVM died without running its shutdown hook (SIGKILL, a test
 * fork killed on timeout). pg_ctl detaches the postmaster into its own session, so it would
 * otherwise run on forever and its directory would pile up in /tmp.
 *
 * <p>Each temporary directory records its owning JVM (PID, start time, PID namespace); a directory
 * is reaped only if that JVM is provably gone from this PID namespace.
 */
final class OrphanReaper {

  private static final Logger LOG = LoggerFactory.getLogger(OrphanReaper.class);
  private static final String OWNER_FILE = "coffer-owner.properties";
  private static final AtomicBoolean REAPED = new AtomicBoolean();

  private OrphanReaper() {}

  /** Records this JVM as the owner of a temporary server directory. */
  static void claim(Path directory) {
    ProcessHandle self = ProcessHandle.current();
    Properties owner = new Properties();
    owner.setProperty("pid", Long.toString(self.pid()));
    self.info()
        .startInstant()
        .ifPresent(start -> owner.setProperty("start", Long.toString(start.toEpochMilli())));
    pidNamespace().ifPresent(ns -> owner.setProperty("pidns", ns));
    try (var out = Files.newBufferedWriter(directory.resolve(OWNER_FILE))) {
      owner.store(out, "JVM that owns this temporary PostgreSQL server");
    } catch (IOException e) {
      throw new UncheckedIOException("could not write owner file in " + directory, e);
    }
  }

  /** Reaps orphans in {@code base} the first time a JVM starts a temporary server. */
  static void reapOnce(Path base, String prefix) {
    if (REAPED.compareAndSet(false, true)) {
      reap(base, prefix);
    }
  }

  static void reap(Path base, String prefix) {
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(base, prefix + "*")) {
      for (Path directory : entries) {
        try {
          if (isOrphan(directory)) {
            reap(directory);
          }
        } catch (RuntimeException e) {
          LOG.debug("Could not reap {}", directory, e);
        }
      }
    } catch (IOException | UncheckedIOException e) {
      LOG.debug("Could not scan {} for orphaned PostgreSQL servers", base, e);
    }
  }

  private static boolean isOrphan(Path directory) {
    Path ownerFile = directory.resolve(OWNER_FILE);
    if (!Files.isRegularFile(ownerFile)) {
      return false;
    }
    Properties owner = new Properties();
    try (var in = Files.newBufferedReader(ownerFile, StandardCharsets.ISO_8859_1)) {
      owner.load(in);
    } catch (IOException e) {
      return false;
    }
    String pidns = owner.getProperty("pidns");
    if (pidns == null || !Optional.of(pidns).equals(pidNamespace())) {
      return false; // A JVM in another container may be alive; its PIDs mean nothing here.
    }
    long pid;
    try {
      pid = Long.parseLong(owner.getProperty("pid", ""));
    } catch (NumberFormatException e) {
      return false;
    }
    Optional<ProcessHandle> process = ProcessHandle.of(pid);
    if (process.isEmpty() || !process.get().isAlive()) {
      return true;
    }
    String start = owner.getProperty("start");
    Optional<Instant> actualStart = process.get().info().startInstant();
    if (start == null || actualStart.isEmpty()) {
      return false;
    }
    // Same PID but a different start time: the PID was reused after the owner died.
    return Math.abs(actualStart.get().toEpochMilli() - Long.parseLong(start)) > 2_000;
  }

  private static void reap(Path directory) {
    Path data = directory.resolve("data");
    ServerUser user = ServerUser.forDataDirectory(data);
    if (!ServerUser.jvmIsRoot() && !user.owns(directory)) {
      return;
    }
    OptionalLong pid = Postmasters.readPid(data.resolve("postmaster.pid"));
    if (pid.isPresent() && Postmasters.state(pid.getAsLong(), data) == Postmasters.State.RUNNING) {
      LOG.info("Stopping orphaned PostgreSQL (pid {}) in {}", pid.getAsLong(), directory);
      if (!stopImmediately(data, user, directory)) {
        // The directory is deleted next; children notice their postmaster's death and exit.
        ProcessHandle.of(pid.getAsLong()).ifPresent(ProcessHandle::destroyForcibly);
      }
    }
    LOG.info("Removing orphaned PostgreSQL directory {}", directory);
    try {
      PostgresBinaries.deleteRecursively(directory);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean stopImmediately(Path data, ServerUser user, Path directory) {
    try {
      return Commands.run(
              user.wrap(
                  List.of(
                      PostgresBinaries.executable("pg_ctl").toString(),
                      "-D",
                      data.toString(),
                      "-m",
                      "immediate",
                      "-w",
                      "-t",
                      "30",
                      "stop")),
              directory,
              Duration.ofSeconds(60),
              null)
          .succeeded();
    } catch (RuntimeException e) {
      LOG.debug("pg_ctl stop failed for orphan in {}", data, e);
      return false;
    }
  }

  private static Optional<String> pidNamespace() {
    try {
      return Optional.of(Files.readSymbolicLink(Path.of("/proc/self/ns/pid")).toString());
    } catch (IOException | UnsupportedOperationException e) {
      return Optional.empty();
    }
  }
}
