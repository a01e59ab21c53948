package dev.coffer.embeddedpostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One real PostgreSQL server process, run from the binaries of {@link PostgresBinaries}.
 *
 * <p>Temporary servers ({@link #startTemporary()}) live in a fresh directory that {@link #close()}
 * deletes; persistent ones ({@link #startPersistent}) keep their data directory for the next run.
 * Either way the server is stopped when the JVM exits, even without close.
 *
 * <p>When the JVM runs as root, initdb and the server run as user {@code postgres} (or {@code
 * nobody}) through runuser, since PostgreSQL refuses to run as root.
 *
 * <p>Directory layout: {@code data/} (the cluster), {@code postgres.log} (server log), {@code
 * commands.log} (initdb/pg_ctl transcript) and usually the Unix socket.
 */
public final class PostgresServer implements PostgresInstance {

  public static final String HOST = "127.0.0.1";
  public static final String USER = "postgres";

  private static final Logger LOG = LoggerFactory.getLogger(PostgresServer.class);
  static final String TEMPORARY_PREFIX = "coffer-pg-";
  // sun_path is 108 bytes; stay clear of it with the longest possible socket name.
  private static final int MAX_SOCKET_PATH = 100;
  private static final String SOCKET_NAME = ".s.PGSQL.65535";
  private static final Duration INITDB_TIMEOUT = Duration.ofMinutes(3);
  // pg_ctl gets -t 60 itself; this only guards against pg_ctl hanging.
  private static final Duration PG_CTL_TIMEOUT = Duration.ofSeconds(90);
  private static final int PORT_ATTEMPTS = 5;
  private static final int SHARED_MEMORY_ATTEMPTS = 20;
  private static final int LOG_TAIL_LINES = 40;

  private final Path directory;
  private final Path dataDirectory;
  private final Path logFile;
  private final Path privateSocketDirectory;
  private final int port;
  private final long pid;
  private final boolean temporary;
  private final ServerUser serverUser;
  private final Duration startupTime;
  private final AtomicBoolean closed = new AtomicBoolean();

  private PostgresServer(
      Path directory,
      Path privateSocketDirectory,
      int port,
      long pid,
      boolean temporary,
      ServerUser serverUser,
      Duration startupTime) {
    this.directory = directory;
    this.dataDirectory = directory.resolve("data");
    this.logFile = directory.resolve("postgres.log");
    this.privateSocketDirectory = privateSocketDirectory;
    this.port = port;
    this.pid = pid;
    this.temporary = temporary;
    this.serverUser = serverUser;
    this.startupTime = startupTime;
  }

  /**
   * Starts a throw-away server: a new cluster in a fresh directory under {@code java.io.tmpdir},
   * listening on a free port of 127.0.0.1, with fsync off. {@link #close()} deletes everything.
   */
  public static PostgresServer startTemporary() {
    PostgresBinaries.installDirectory();
    Path base = Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath();
    OrphanReaper.reapOnce(base, TEMPORARY_PREFIX);
    Path directory;
    try {
      directory = Files.createTempDirectory(base, TEMPORARY_PREFIX);
    } catch (IOException e) {
      throw new UncheckedIOException("could not create a temporary directory in " + base, e);
    }
    try {
      OrphanReaper.claim(directory);
    } catch (RuntimeException e) {
      deleteQuietly(directory);
      throw e;
    }
    return start(directory, 0, true);
  }

  /**
   * Starts a server on a cluster kept in {@code directory}/data, creating it (initdb) only if it
   * does not exist yet. A postmaster still running there from an earlier run is stopped first; a
   * stale postmaster.pid left by a killed one is dealt with. {@link #close()} stops the server but
   * keeps the directory. One directory must not be started twice at the same time.
   */
  public static PostgresServer startPersistent(Path directory, int port) {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
    Path absolute = directory.toAbsolutePath().normalize();
    PostgresBinaries.installDirectory();
    try {
      // Owner-only (the data directory is too; postgres.log and commands.log sit beside it), but
      // not the parents, which the server account of a root JVM must be able to pass through.
      Files.createDirectories(absolute.getParent());
      if (!Files.isDirectory(absolute)) {
        Files.createDirectory(absolute);
      }
      Files.setPosixFilePermissions(absolute, PosixFilePermissions.fromString("rwx------"));
    } catch (IOException e) {
      throw new UncheckedIOException("could not create PostgreSQL directory " + absolute, e);
    }
    return start(absolute, port, false);
  }

  private static PostgresServer start(Path directory, int requestedPort, boolean temporary) {
    long started = System.nanoTime();
    Path data = directory.resolve("data");
    Path log = directory.resolve("postgres.log");
    Path transcript = directory.resolve("commands.log");
    Path privateSocketDirectory = null;
    boolean launched = false;
    ServerUser user = null;
    try {
      requireShellSafe(directory);
      requireShellSafe(PostgresBinaries.installDirectory());
      user = ServerUser.forDataDirectory(data);
      user.takeOwnership(directory);
      user.requireTraversable(List.of(PostgresBinaries.installDirectory(), directory), directory);
      long checked = System.nanoTime();
      initialiseIfAbsent(directory, data, user, transcript, temporary);
      long initialised = System.nanoTime();
      LOG.debug(
          "{}: access check {} ms, initdb/copy {} ms",
          directory,
          (checked - started) / 1_000_000,
          (initialised - checked) / 1_000_000);
      if (!temporary) {
        stopLeftoverPostmaster(directory, data, user, transcript);
      }
      Path socketDirectory = directory;
      if (directory.resolve(SOCKET_NAME).toString().length() > MAX_SOCKET_PATH) {
        privateSocketDirectory = Files.createTempDirectory(Path.of("/tmp"), "cpg-");
        user.takeOwnership(privateSocketDirectory);
        socketDirectory = privateSocketDirectory;
      }
      int port = requestedPort;
      for (int attempt = 1; ; attempt++) {
        if (requestedPort == 0) {
          port = freePort();
        }
        long logSize = Files.exists(log) ? Files.size(log) : 0;
        launched = true;
        Commands.Result result =
            Commands.run(
                user.wrap(pgCtlStart(data, log, socketDirectory, port, temporary)),
                directory,
                PG_CTL_TIMEOUT,
                transcript);
        if (result.succeeded()) {
          break;
        }
        String newLog = readFrom(log, logSize);
        if (requestedPort == 0
            && attempt < PORT_ATTEMPTS
            && newLog.contains("Address already in use")) {
          LOG.debug("Port {} was taken before PostgreSQL could bind it; retrying", port);
          continue;
        }
        // Backends of a killed postmaster linger for a moment and keep the old segment attached.
        if (attempt < SHARED_MEMORY_ATTEMPTS && newLog.contains("pre-existing shared memory")) {
          LOG.info("Shared memory of a killed postmaster in {} is still in use; waiting", data);
          Thread.sleep(250);
          continue;
        }
        throw startFailure(directory, user, "pg_ctl start", result, log);
      }
      OptionalLong pid = Postmasters.readPid(data.resolve("postmaster.pid"));
      if (pid.isEmpty()) {
        throw new IllegalStateException(
            "pg_ctl reported success but " + data + "/postmaster.pid has no PID");
      }
      Duration startupTime = Duration.ofNanos(System.nanoTime() - started);
      PostgresServer server =
          new PostgresServer(
              directory,
              privateSocketDirectory,
              port,
              pid.getAsLong(),
              temporary,
              user,
              startupTime);
      ShutdownHooks.register(server);
      LOG.info(
          "PostgreSQL {} started on {}:{} (pid {}, {} server, user {}, directory {}) in {} ms",
          PostgresBinaries.version(),
          HOST,
          port,
          pid.getAsLong(),
          temporary ? "temporary" : "persistent",
          user.describe(),
          directory,
          startupTime.toMillis());
      return server;
    } catch (RuntimeException | IOException | InterruptedException e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      if (launched && user != null) {
        stopAfterFailedStart(data, user, transcript);
      }
      if (privateSocketDirectory != null) {
        deleteQuietly(privateSocketDirectory);
      }
      if (temporary) {
        deleteQuietly(directory);
      }
      if (e instanceof IOException io) {
        throw new UncheckedIOException("could not start PostgreSQL in " + directory, io);
      }
      if (e instanceof InterruptedException) {
        throw new IllegalStateException("interrupted while starting PostgreSQL", e);
      }
      throw (RuntimeException) e;
    }
  }

  /**
   * Lets the account the servers run as pass through {@code directories}: private directories
   * (0700) of this JVM's user above persistent servers' directories. When the JVM runs as root the
   * servers run as another account (PostgreSQL refuses root), which then gets search permission on
   * them through its group (0710) and nothing else; otherwise nothing changes. Call before {@link
   * #startPersistent}.
   */
  public static void allowServerAccountThrough(List<Path> directories) {
    ServerUser user = ServerUser.forNewCluster();
    directories.forEach(user::allowThrough);
  }

  private static List<String> pgCtlStart(
      Path data, Path log, Path socketDirectory, int port, boolean temporary) {
    StringBuilder options = new StringBuilder();
    options.append("-p ").append(port);
    options.append(" -k ").append(shellQuote(socketDirectory.toString()));
    options.append(" -c listen_addresses=").append(HOST);
    // Connections come over TCP; the socket is for the server's own account (pg_ctl's checks).
    options.append(" -c unix_socket_permissions=0700");
    if (temporary) {
      options.append(" -c fsync=off");
    }
    options.append(" -c max_connections=200 -c shared_buffers=64MB");
    return List.of(
        PostgresBinaries.executable("pg_ctl").toString(),
        "-D",
        data.toString(),
        "-w",
        "-t",
        "60",
        "-l",
        log.toString(),
        "-o",
        options.toString(),
        "start");
  }

  /**
   * Runs initdb (or, for a temporary server, copies the {@link ClusterTemplate}) into a staging
   * directory and renames it to {@code data}, so that a run killed midway never leaves a half-made
   * cluster that looks real to the next run.
   */
  private static void initialiseIfAbsent(
      Path directory, Path data, ServerUser user, Path transcript, boolean temporary)
      throws IOException {
    Path version = data.resolve("PG_VERSION");
    if (Files.exists(version)) {
      String major = Files.readString(version).strip();
      if (!major.equals(Integer.toString(PostgresBinaries.majorVersion()))) {
        throw new IllegalStateException(
            "data directory "
                + data
                + " was created by PostgreSQL "
                + major
                + " but the bundled binaries are PostgreSQL "
                + PostgresBinaries.version()
                + "; delete the directory (losing its data) or migrate it with pg_upgrade");
      }
      return;
    }
    if (Files.exists(data)) {
      try (DirectoryStream<Path> entries = Files.newDirectoryStream(data)) {
        if (entries.iterator().hasNext()) {
          throw new IllegalStateException(
              data + " exists but is not a PostgreSQL data directory (no PG_VERSION); remove it");
        }
      }
      Files.delete(data);
    }
    Path staging = directory.resolve("data.initdb");
    PostgresBinaries.deleteRecursively(staging);
    Commands.Result result;
    Path template =
        temporary
            ? ClusterTemplate.dataDirectory(directory.getParent(), user, initdbCommand())
            : null;
    if (template != null) {
      result = ClusterTemplate.copy(template, staging, user, directory, transcript);
    } else {
      List<String> command = new ArrayList<>(initdbCommand());
      command.add("-D");
      command.add(staging.toString());
      result = Commands.run(user.wrap(command), directory, INITDB_TIMEOUT, transcript);
    }
    if (!result.succeeded()) {
      throw new IllegalStateException(
          (template != null ? "copying the cluster template" : "initdb")
              + " failed in "
              + directory
              + " as user "
              + user.describe()
              + " (exit "
              + result.exitCode()
              + "):\n"
              + Commands.tail(result.output(), LOG_TAIL_LINES));
    }
    Files.move(staging, data, StandardCopyOption.ATOMIC_MOVE);
  }

  /** initdb without its target directory; part of the cluster template's cache key. */
  private static List<String> initdbCommand() {
    return List.of(
        PostgresBinaries.executable("initdb").toString(),
        "-U",
        USER,
        "-A",
        "trust",
        "-E",
        "UTF8",
        "--locale=C",
        "--no-sync",
        "--no-instructions");
  }

  /**
   * Makes a persistent directory startable after an earlier run that did not shut down cleanly:
   * stops a postmaster that still runs there and removes lock files whose PID now belongs to
   * something else.
   */
  private static void stopLeftoverPostmaster(
      Path directory, Path data, ServerUser user, Path transcript) throws IOException {
    Path pidFile = data.resolve("postmaster.pid");
    if (Files.exists(pidFile)) {
      OptionalLong pid = Postmasters.readPid(pidFile);
      Postmasters.State state =
          pid.isPresent() ? Postmasters.state(pid.getAsLong(), data) : Postmasters.State.GONE;
      if (pid.isEmpty()) {
        LOG.warn("Removing unreadable {}", pidFile);
        Files.deleteIfExists(pidFile);
      } else if (state == Postmasters.State.RUNNING) {
        LOG.warn(
            "PostgreSQL (pid {}) from an earlier run is still running on {}; stopping it",
            pid.getAsLong(),
            data);
        Commands.Result result = pgCtlStop(data, user, "fast", transcript);
        if (!result.succeeded()) {
          throw startFailure(
              directory,
              user,
              "stopping the earlier postmaster",
              result,
              directory.resolve("postgres.log"));
        }
      } else if (state == Postmasters.State.NOT_A_POSTMASTER) {
        LOG.info(
            "Removing stale {}: pid {} is no longer a postmaster of this directory",
            pidFile,
            pid.getAsLong());
        Files.deleteIfExists(pidFile);
      } else {
        // postgres checks the old shared memory segment itself in this case, so leave it the file.
        LOG.info("Found stale {} of a postmaster (pid {}) that is gone", pidFile, pid.getAsLong());
      }
    }
    try (DirectoryStream<Path> locks = Files.newDirectoryStream(directory, ".s.PGSQL.*.lock")) {
      for (Path lock : locks) {
        OptionalLong pid = Postmasters.readPid(lock);
        if (pid.isEmpty()
            || Postmasters.state(pid.getAsLong(), data) != Postmasters.State.RUNNING) {
          String socket = lock.getFileName().toString().replaceFirst("\\.lock$", "");
          Files.deleteIfExists(lock.resolveSibling(socket));
          Files.deleteIfExists(lock);
        }
      }
    }
  }

  private static Commands.Result pgCtlStop(
      Path data, ServerUser user, String mode, Path transcript) {
    return Commands.run(
        user.wrap(
            List.of(
                PostgresBinaries.executable("pg_ctl").toString(),
                "-D",
                data.toString(),
                "-m",
                mode,
                "-w",
                "-t",
                "60",
                "stop")),
        data.getParent(),
        PG_CTL_TIMEOUT,
        transcript);
  }

  private static void stopAfterFailedStart(Path data, ServerUser user, Path transcript) {
    try {
      OptionalLong pid = Postmasters.readPid(data.resolve("postmaster.pid"));
      if (pid.isPresent()
          && Postmasters.state(pid.getAsLong(), data) == Postmasters.State.RUNNING) {
        pgCtlStop(data, user, "immediate", transcript);
      }
    } catch (RuntimeException e) {
      LOG.warn("Could not stop the half-started PostgreSQL in {}", data, e);
    }
  }

  private static IllegalStateException startFailure(
      Path directory, ServerUser user, String what, Commands.Result result, Path log) {
    return new IllegalStateException(
        "PostgreSQL "
            + PostgresBinaries.version()
            + " failed to start in "
            + directory
            + " as user "
            + user.describe()
            + ": "
            + what
            + " exited with "
            + result.exitCode()
            + "\n--- pg_ctl output ---\n"
            + Commands.tail(result.output(), LOG_TAIL_LINES)
            + "\n--- "
            + log
            + " (tail) ---\n"
            + Commands.tail(log, LOG_TAIL_LINES));
  }

  private static String readFrom(Path file, long offset) {
    try {
      byte[] bytes = Files.readAllBytes(file);
      int from = (int) Math.min(offset, bytes.length);
      return new String(bytes, from, bytes.length - from, StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      return "";
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
      return socket.getLocalPort();
    }
  }

  /**
   * pg_ctl splices the data directory and log path into a /bin/sh command line inside double
   * quotes, so these characters would break or subvert it.
   */
  private static void requireShellSafe(Path directory) {
    String path = directory.toString();
    for (char c : new char[] {'"', '$', '`', '\\', '\n', '\''}) {
      if (path.indexOf(c) >= 0) {
        throw new IllegalArgumentException(
            "PostgreSQL paths must not contain " + c + " characters: " + path);
      }
    }
  }

  private static String shellQuote(String value) {
    return "'" + value + "'";
  }

  @Override
  public String host() {
    return HOST;
  }

  @Override
  public int port() {
    return port;
  }

  @Override
  public String user() {
    return USER;
  }

  /** Always empty: the cluster is created with trust authentication, reachable only locally. */
  @Override
  public String password() {
    return "";
  }

  @Override
  public String jdbcUrl(String database) {
    return "jdbc:postgresql://"
        + HOST
        + ":"
        + port
        + "/"
        + URLEncoder.encode(database, StandardCharsets.UTF_8);
  }

  /** Creates {@code name} unless it exists; returns {@code name}. */
  @Override
  public String createDatabase(String name) {
    DatabaseNames.requireValid(name);
    Sql.createDatabaseIfAbsent(this, "postgres", name);
    return name;
  }

  /** The server directory (holding data/, postgres.log, commands.log). */
  public Path directory() {
    return directory;
  }

  public Path dataDirectory() {
    return dataDirectory;
  }

  public Path logFile() {
    return logFile;
  }

  /** PID of the postmaster this handle started. */
  public long pid() {
    return pid;
  }

  public boolean isTemporary() {
    return temporary;
  }

  /** Wall-clock time start* took, binaries unpacking excluded. */
  public Duration startupTime() {
    return startupTime;
  }

  /**
   * Stops the server ({@code pg_ctl stop -m fast}) and, for a temporary server, deletes its
   * directory. Idempotent; problems are logged rather than thrown, so that they cannot mask the
   * failure of the test that is closing the server.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    ShutdownHooks.unregister(this);
    long started = System.nanoTime();
    try {
      stop();
    } catch (RuntimeException e) {
      LOG.warn("Could not stop PostgreSQL in {}", directory, e);
    }
    if (temporary) {
      deleteQuietly(directory);
    }
    if (privateSocketDirectory != null) {
      deleteQuietly(privateSocketDirectory);
    }
    LOG.info(
        "PostgreSQL on port {} stopped in {} ms", port, (System.nanoTime() - started) / 1_000_000);
  }

  private void stop() {
    Path transcript = directory.resolve("commands.log");
    OptionalLong current = Postmasters.readPid(dataDirectory.resolve("postmaster.pid"));
    if (current.isPresent() && current.getAsLong() != pid) {
      LOG.warn(
          "{} now belongs to another postmaster (pid {}, ours was {}); leaving it running",
          dataDirectory,
          current.getAsLong(),
          pid);
      return;
    }
    if (Postmasters.state(pid, dataDirectory) != Postmasters.State.RUNNING) {
      LOG.debug("PostgreSQL (pid {}) in {} is not running any more", pid, dataDirectory);
      return;
    }
    if (current.isPresent()) {
      Commands.Result fast = pgCtlStop(dataDirectory, serverUser, "fast", transcript);
      if (fast.succeeded()) {
        return;
      }
      LOG.warn(
          "pg_ctl stop -m fast failed (exit {}): {}; trying immediate",
          fast.exitCode(),
          fast.output().strip());
      Commands.Result immediate = pgCtlStop(dataDirectory, serverUser, "immediate", transcript);
      if (immediate.succeeded()) {
        return;
      }
      LOG.warn(
          "pg_ctl stop -m immediate failed (exit {}): {}; killing pid {}",
          immediate.exitCode(),
          immediate.output().strip(),
          pid);
    }
    ProcessHandle.of(pid)
        .ifPresent(
            process -> {
              process.destroyForcibly();
              try {
                process.onExit().get(10, TimeUnit.SECONDS);
              } catch (Exception e) {
                LOG.warn("Postmaster {} did not exit after SIGKILL", pid, e);
              }
            });
  }

  private static void deleteQuietly(Path path) {
    try {
      PostgresBinaries.deleteRecursively(path);
    } catch (IOException | UncheckedIOException e) {
      LOG.warn("Could not delete {}", path, e);
    }
  }

  @Override
  public String toString() {
    List<String> parts = new ArrayList<>();
    parts.add(HOST + ":" + port);
    parts.add("pid " + pid);
    parts.add(temporary ? "temporary" : "persistent");
    parts.add(directory.toString());
    return "PostgresServer[" + String.join(", ", parts) + "]";
  }
}
