package dev.coffer.embeddedpostgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PostgresServerIT {

  private Path scratch;

  @BeforeAll
  static void unpackBinariesOutsideTheTimings() {
    long started = System.nanoTime();
    PostgresBinaries.installDirectory();
    System.out.printf(
        "PostgreSQL %s binaries ready in %d ms (includes unpacking on a cold cache)%n",
        PostgresBinaries.version(), (System.nanoTime() - started) / 1_000_000);
  }

  /** Persistent directories need a parent that a root JVM's server user can traverse. */
  @BeforeEach
  void createScratchDirectory() throws IOException {
    scratch =
        Files.createTempDirectory(
            Path.of(System.getProperty("java.io.tmpdir")),
            "coffer-it-",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
  }

  @AfterEach
  void deleteScratchDirectory() throws IOException {
    PostgresBinaries.deleteRecursively(scratch);
  }

  @Test
  void threeTemporaryServersStartInParallelAndCleanUpAfterThemselves() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(3);
    List<Future<PostgresServer>> starts = new ArrayList<>();
    long wallStart = System.nanoTime();
    for (int i = 0; i < 3; i++) {
      starts.add(pool.submit(PostgresServer::startTemporary));
    }
    List<PostgresServer> servers = new ArrayList<>();
    try {
      for (Future<PostgresServer> start : starts) {
        servers.add(start.get(3, TimeUnit.MINUTES));
      }
      System.out.printf(
          "3 parallel temporary starts: %s ms each, %d ms wall clock%n",
          servers.stream().map(s -> s.startupTime().toMillis()).toList(),
          (System.nanoTime() - wallStart) / 1_000_000);

      assertThat(servers.stream().map(PostgresServer::port).distinct()).hasSize(3);
      assertThat(servers.stream().map(PostgresServer::directory).distinct()).hasSize(3);
      for (PostgresServer server : servers) {
        assertThat(server.host()).isEqualTo("127.0.0.1");
        assertThat(server.user()).isEqualTo("postgres");
        assertThat(server.isTemporary()).isTrue();
        assertThat(server.logFile()).exists();
        assertThat(queryString(server, "postgres", "SELECT version()"))
            .startsWith("PostgreSQL 17.");
        assertThat(queryString(server, "postgres", "SHOW fsync")).isEqualTo("off");
        assertThat(queryString(server, "postgres", "SHOW max_connections")).isEqualTo("200");

        assertThat(server.createDatabase("app")).isEqualTo("app");
        assertThat(server.createDatabase("app")).as("idempotent").isEqualTo("app");
        execute(server, "app", "CREATE TABLE t (v text)");
        execute(server, "app", "INSERT INTO t VALUES ('port " + server.port() + "')");
        assertThat(queryString(server, "app", "SELECT v FROM t"))
            .isEqualTo("port " + server.port());
        assertThat(server.jdbcUrl("app"))
            .isEqualTo("jdbc:postgresql://127.0.0.1:" + server.port() + "/app");
      }
    } finally {
      pool.shutdownNow();
      servers.forEach(PostgresServer::close);
    }
    for (PostgresServer server : servers) {
      long closeStart = System.nanoTime();
      server.close(); // idempotent: a second close does nothing
      assertThat(System.nanoTime() - closeStart).isLessThan(Duration.ofSeconds(1).toNanos());
      assertThat(acceptsConnections(server.port())).isFalse();
      assertThat(server.directory()).doesNotExist();
      assertThat(isRunning(server.pid())).isFalse();
    }
  }

  @Test
  void createDatabaseRejectsInvalidNames() {
    try (PostgresServer server = PostgresServer.startTemporary()) {
      assertThatThrownBy(() -> server.createDatabase("Robert'); DROP TABLE students;--"))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void persistentServerKeepsItsDataAcrossRestarts() throws Exception {
    Path directory = scratch.resolve("pg");
    int port = freePort();

    long firstStart = System.nanoTime();
    try (PostgresServer server = PostgresServer.startPersistent(directory, port)) {
      System.out.printf(
          "persistent first start (with initdb): %d ms%n",
          (System.nanoTime() - firstStart) / 1_000_000);
      assertThat(server.port()).isEqualTo(port);
      assertThat(server.isTemporary()).isFalse();
      assertThat(queryString(server, "postgres", "SHOW fsync")).isEqualTo("on");
      server.createDatabase("vault");
      execute(server, "vault", "CREATE TABLE secrets (name text PRIMARY KEY)");
      execute(server, "vault", "INSERT INTO secrets VALUES ('kept')");
    }
    assertThat(acceptsConnections(port)).isFalse();
    assertThat(directory.resolve("data/PG_VERSION")).exists();
    assertThat(directory.resolve("data/postmaster.pid")).doesNotExist();

    long restart = System.nanoTime();
    try (PostgresServer server = PostgresServer.startPersistent(directory, port)) {
      System.out.printf(
          "persistent restart (no initdb): %d ms%n", (System.nanoTime() - restart) / 1_000_000);
      assertThat(server.createDatabase("vault")).isEqualTo("vault");
      assertThat(queryString(server, "vault", "SELECT name FROM secrets")).isEqualTo("kept");
    }
    assertThat(directory).exists();
  }

  @Test
  void persistentServerStartsAgainAfterItsPostmasterWasKilled() throws Exception {
    Path directory = scratch.resolve("pg");
    int port = freePort();
    PostgresServer killed = PostgresServer.startPersistent(directory, port);
    try {
      killed.createDatabase("vault");
      execute(killed, "vault", "CREATE TABLE t (v int)");
      execute(killed, "vault", "INSERT INTO t VALUES (42)");

      long pid = postmasterPid(directory);
      assertThat(pid).isEqualTo(killed.pid());
      ProcessHandle postmaster = ProcessHandle.of(pid).orElseThrow();
      assertThat(postmaster.destroyForcibly()).isTrue(); // SIGKILL
      postmaster.onExit().get(10, TimeUnit.SECONDS);
      assertThat(directory.resolve("data/postmaster.pid")).as("stale lock file left").exists();

      long restart = System.nanoTime();
      try (PostgresServer restarted = PostgresServer.startPersistent(directory, port)) {
        System.out.printf(
            "restart after SIGKILL (crash recovery): %d ms%n",
            (System.nanoTime() - restart) / 1_000_000);
        assertThat(restarted.pid()).isNotEqualTo(pid);
        assertThat(queryString(restarted, "vault", "SELECT v FROM t")).isEqualTo("42");

        // The dead handle must not stop the server that replaced it.
        killed.close();
        assertThat(queryString(restarted, "vault", "SELECT v FROM t")).isEqualTo("42");
      }
      assertThat(acceptsConnections(port)).isFalse();
    } finally {
      killed.close();
    }
  }

  @Test
  void stalePidFileNamingAnUnrelatedLiveProcessDoesNotBlockTheStart() throws Exception {
    Path directory = scratch.resolve("pg");
    int port = freePort();
    PostgresServer.startPersistent(directory, port).close();
    // As after a reboot: the recorded PID now belongs to some other program (here: this JVM).
    Path pidFile = directory.resolve("data/postmaster.pid");
    Files.writeString(
        pidFile,
        ProcessHandle.current().pid() + "\n" + directory.resolve("data") + "\n",
        StandardCharsets.UTF_8);
    Files.setOwner(pidFile, Files.getOwner(directory.resolve("data"))); // as postgres requires

    try (PostgresServer server = PostgresServer.startPersistent(directory, port)) {
      assertThat(queryString(server, "postgres", "SELECT 1")).isEqualTo("1");
    }
    assertThat(ProcessHandle.current().isAlive()).isTrue();
  }

  @Test
  @SuppressWarnings("try") // closes the outer resource early on purpose
  void startingAPersistentDirectoryThatIsStillRunningStopsTheEarlierServerFirst() throws Exception {
    Path directory = scratch.resolve("pg");
    int port = freePort();
    try (PostgresServer first = PostgresServer.startPersistent(directory, port)) {
      first.createDatabase("vault");
      try (PostgresServer second = PostgresServer.startPersistent(directory, port)) {
        assertThat(second.pid()).isNotEqualTo(first.pid());
        assertThat(isRunning(first.pid())).isFalse();
        first.close(); // must leave the second server alone
        assertThat(queryString(second, "vault", "SELECT 1")).isEqualTo("1");
      }
    }
  }

  @Test
  void aDirectoryTooLongForAUnixSocketPathGetsAShortSocketDirectory() throws Exception {
    Path directory = scratch.resolve("d".repeat(100)).resolve("pg");
    assertThat(directory.toString().length()).isGreaterThan(108);
    Path socketDirectory;
    try (PostgresServer server = PostgresServer.startPersistent(directory, freePort())) {
      assertThat(queryString(server, "postgres", "SELECT 1")).isEqualTo("1");
      socketDirectory = Path.of(queryString(server, "postgres", "SHOW unix_socket_directories"));
      assertThat(socketDirectory.toString()).startsWith("/tmp/cpg-");
      assertThat(socketDirectory.resolve(".s.PGSQL." + server.port())).exists();
    }
    assertThat(socketDirectory).doesNotExist();
  }

  @Test
  void failedStartReportsTheServerLogAndCleansUp() throws Exception {
    Path directory = scratch.resolve("pg");
    try (ServerSocket occupied = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      assertThatThrownBy(() -> PostgresServer.startPersistent(directory, occupied.getLocalPort()))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("failed to start")
          .hasMessageContaining("postgres.log")
          .hasMessageContaining("could not bind IPv4 address");
    }
    assertThat(directory.resolve("data/postmaster.pid")).doesNotExist();
    assertThat(directory.resolve("data/PG_VERSION")).as("persistent data is kept").exists();
  }

  @Test
  void rootJvmNamesTheDirectoryItsServerUserCannotEnter() throws Exception {
    assumeThat(ServerUser.jvmIsRoot()).as("only a root JVM switches users").isTrue();
    Path locked = scratch.resolve("locked");
    Files.createDirectory(
        locked, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));

    assertThatThrownBy(() -> PostgresServer.startPersistent(locked.resolve("pg"), freePort()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("cannot traverse directory " + locked);
  }

  @Test
  @SuppressWarnings("try") // closes a resource early on purpose
  void externalInstancePrefixesAndDropsItsDatabases() throws Exception {
    try (PostgresServer server = PostgresServer.startTemporary()) {
      String url = "postgresql://postgres@127.0.0.1:" + server.port() + "/postgres";
      String first;
      String second;
      try (PostgresInstance a = PostgresServers.startForTest(url);
          PostgresInstance b = PostgresServers.startForTest("jdbc:" + url)) {
        assertThat(a).isInstanceOf(ExternalPostgres.class);
        first = a.createDatabase("app");
        second = b.createDatabase("app");
        assertThat(first).endsWith("_app").matches("t[0-9a-f]{10}_app");
        assertThat(second).endsWith("_app").isNotEqualTo(first);
        assertThat(a.createDatabase("app")).isEqualTo(first);

        try (Connection connection = a.connect(first);
            Statement statement = connection.createStatement()) {
          statement.execute("CREATE TABLE t (v int)"); // an open session must not block the drop
          assertThat(databases(server)).contains(first, second);
          a.close();
        }
        assertThat(databases(server)).doesNotContain(first).contains(second);
      }
      assertThat(databases(server)).doesNotContain(first, second);
    }
  }

  @Test
  void startForTestWithoutUrlStartsALocalServer() {
    try (PostgresInstance instance = PostgresServers.startForTest((String) null)) {
      assertThat(instance).isInstanceOf(PostgresServer.class);
      assertThat(instance.createDatabase("app")).isEqualTo("app");
    }
  }

  private static List<String> databases(PostgresInstance server) throws SQLException {
    List<String> names = new ArrayList<>();
    try (Connection connection = server.connect("postgres");
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT datname FROM pg_database")) {
      while (rows.next()) {
        names.add(rows.getString(1));
      }
    }
    return names;
  }

  private static String queryString(PostgresInstance server, String database, String sql)
      throws SQLException {
    try (Connection connection = server.connect(database);
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      assertThat(rows.next()).isTrue();
      return rows.getString(1);
    }
  }

  private static void execute(PostgresInstance server, String database, String sql)
      throws SQLException {
    try (Connection connection = server.connect(database);
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }

  private static long postmasterPid(Path directory) throws IOException {
    return Long.parseLong(
        Files.readAllLines(directory.resolve("data/postmaster.pid")).get(0).strip());
  }

  /**
   * Whether the process exists and is not a zombie: the stopped postmaster is an orphan, and a PID
   * 1 that reaps lazily (as in some containers) leaves it as a zombie for a while.
   */
  private static boolean isRunning(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      char state = stat.charAt(stat.lastIndexOf(')') + 2);
      return state != 'Z' && state != 'X';
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean acceptsConnections(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
      return true;
    } catch (ConnectException e) {
      return false;
    } catch (IOException e) {
      return false;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      return socket.getLocalPort();
    }
  }
}
