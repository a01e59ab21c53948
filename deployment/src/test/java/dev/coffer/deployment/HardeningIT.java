package dev.coffer.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.deployment.CofferHttpClient.Reply;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * No way to make a secret reach a log, with real processes (one shard, one host, PostgreSQL kept in
 * the deployment directory as the dev command does): the admin port serves only health, metrics, a
 * host's apply times and an authenticated log-level task; with every logger of every server at
 * TRACE a put and reads leave neither the value nor the admin token in any log; every file and
 * directory the deployment and its servers create is owner-only.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HardeningIT {
  private static final Set<PosixFilePermission> GROUP_AND_OTHER = OwnerOnly.GROUP_AND_OTHER;

  /** Logged by Coffer's admin filter at DEBUG: shows whether a level change took effect. */
  private static final String DEBUG_LINE = "Admin port: answered 404";

  private Path directory;
  private LocalCluster cluster;
  private CofferHttpClient client;
  private String cp;
  private LocalCluster.Host host;

  @BeforeAll
  void start() throws IOException {
    // Directly in the temporary directory (sticky, world-searchable), as a root JVM's PostgreSQL
    // account must reach the servers' directories inside.
    directory = Files.createTempDirectory("coffer-hardening-");
    cluster =
        LocalCluster.start(
            LocalCluster.Options.forTests().withShape(1, 1).withDirectory(directory, 0));
    client = new CofferHttpClient(cluster.adminToken());
    cp = cluster.controlPlaneUrl();
    host = cluster.hosts().get(0);
  }

  @AfterAll
  void stop() throws IOException {
    if (cluster != null) {
      cluster.close();
    }
    if (directory != null) {
      LocalCluster.deleteRecursively(directory);
    }
  }

  /** Admin ports by server name. */
  private Map<String, Integer> adminPorts() {
    Map<String, Integer> ports = new LinkedHashMap<>();
    ports.put("control-plane", cluster.controlPlaneAdminPort());
    ports.put(host.id(), host.adminPort());
    ports.put("router", cluster.routerAdminPort());
    return ports;
  }

  private Path logOf(String server) {
    return directory.resolve("logs").resolve(server + ".log");
  }

  @Test
  @Order(1)
  void everyFileAndDirectoryOfTheDeploymentIsOwnerOnlyAfterStart() {
    assertOwnerOnly();
  }

  @Test
  @Order(2)
  void adminPortsServeHealthMetricsAndApplyTimesAndNothingElseWithoutTheToken() {
    for (Map.Entry<String, Integer> server : adminPorts().entrySet()) {
      String admin = "http://127.0.0.1:" + server.getValue();
      Reply health = client.get(admin + "/healthcheck");
      assertThat(health.status()).as(server.getKey() + ": " + health.body()).isEqualTo(200);
      Reply metrics = client.get(admin + "/metrics");
      assertThat(metrics.status()).as(server.getKey()).isEqualTo(200);
      assertThat(metrics.json().has("gauges")).isTrue();

      for (String path : List.of("/threads", "/pprof", "/ping", "/", "/metrics/x", "/unknown")) {
        Reply hidden = client.get(admin + path);
        assertThat(hidden.status()).as(server.getKey() + path).isEqualTo(404);
        assertThat(hidden.errorCode()).as(server.getKey() + path).isEqualTo("NOT_FOUND");
        assertThat(hidden.json().path("error").path("message").asText()).isNotEmpty();
      }
      Reply gc = adminPost(admin + "/tasks/gc", cluster.adminToken());
      assertThat(gc.status()).as("the gc task is gone, token or not").isEqualTo(404);
      assertThat(gc.errorCode()).isEqualTo("NOT_FOUND");
      Reply post = adminPost(admin + "/healthcheck", null);
      assertThat(post.status()).isEqualTo(405);
      assertThat(post.errorCode()).isEqualTo("METHOD_NOT_ALLOWED");
    }
    // Apply times are a host's, on its admin port only.
    Reply applyTimes =
        client.get("http://127.0.0.1:" + host.adminPort() + "/replication/apply-times");
    assertThat(applyTimes.status()).as(applyTimes.body()).isEqualTo(200);
    assertThat(applyTimes.json().path("shard").asText()).isEqualTo(host.shard().value());
    Reply controlPlane =
        client.get(
            "http://127.0.0.1:" + cluster.controlPlaneAdminPort() + "/replication/apply-times");
    assertThat(controlPlane.status()).isEqualTo(404);
    Reply api = client.get(host.url() + "/v1/replication/apply-times");
    assertThat(api.status()).isEqualTo(404);
    assertThat(api.errorCode()).isEqualTo("NOT_FOUND");
  }

  @Test
  @Order(3)
  void theLogLevelTaskNeedsTheAdminTokenAndChangesNothingWithout() {
    for (Map.Entry<String, Integer> server : adminPorts().entrySet()) {
      String admin = "http://127.0.0.1:" + server.getValue();
      String raise = admin + "/tasks/log-level?logger=dev.coffer&level=TRACE";
      Reply anonymous = adminPost(raise, null);
      assertThat(anonymous.status()).as(server.getKey()).isEqualTo(401);
      assertThat(anonymous.errorCode()).isEqualTo("UNAUTHENTICATED");
      assertThat(anonymous.header("WWW-Authenticate")).startsWith("Bearer");
      Reply wrong = adminPost(raise, "not-the-admin-token-at-all");
      assertThat(wrong.status()).isEqualTo(401);
      assertThat(wrong.errorCode()).isEqualTo("UNAUTHENTICATED");

      // Still INFO: the filter's DEBUG line for a 404 is not written. The next INFO line (a task
      // run with the token) marks the point by which it would have been.
      assertThat(client.get(admin + "/threads").status()).isEqualTo(404);
      Reply info = adminPost(admin + "/tasks/log-level?logger=org.flywaydb&level=WARN", token());
      assertThat(info.status()).as(info.body()).isEqualTo(200);
      awaitLogLine(server.getKey(), "Admin task /tasks/log-level run with the admin token");
      assertThat(read(logOf(server.getKey()))).doesNotContain(DEBUG_LINE);
    }
  }

  @Test
  @Order(4)
  void withEveryLoggerAtTraceNeitherAValueNorTheTokenReachesALog() throws IOException {
    for (Map.Entry<String, Integer> server : adminPorts().entrySet()) {
      String admin = "http://127.0.0.1:" + server.getValue();
      // ROOT and every logger the deployment's configuration sets a level for.
      for (String logger : List.of("ROOT", "org.eclipse.jetty", "org.flywaydb", "dev.coffer")) {
        Reply raised =
            adminPost(admin + "/tasks/log-level?logger=" + logger + "&level=TRACE", token());
        assertThat(raised.status()).as(server.getKey() + " " + raised.body()).isEqualTo(200);
        assertThat(raised.body()).contains("Configured logging level for " + logger + " to TRACE");
      }
      // The switch took effect: Coffer's own DEBUG line is written now.
      assertThat(client.get(admin + "/threads").status()).isEqualTo(404);
      awaitLogLine(server.getKey(), DEBUG_LINE);
    }

    String value = "hardening-value-" + UUID.randomUUID();
    assertThat(client.post(cp + "/v1/vaults", "{\"name\":\"hardening\"}").status()).isEqualTo(201);
    String secret = "/v1/vaults/hardening/secrets/db-password";
    Reply put = client.put(cp + secret, CofferHttpClient.valueJson(value));
    assertThat(put.status()).as(put.body()).isEqualTo(201);
    String replication = put.header("Coffer-Replication-Token");
    Reply fromControlPlane = client.get(cp + secret);
    assertThat(fromControlPlane.json().path("value").asText()).isEqualTo(value);
    Reply fromHost = client.get(host.url() + secret, replication);
    assertThat(fromHost.status()).as(fromHost.body()).isEqualTo(200);
    assertThat(fromHost.json().path("value").asText()).isEqualTo(value);

    // Malformed requests that carry the value: an unknown field, broken JSON, a wrong type.
    for (String body :
        List.of(
            "{\"value\":\"" + value + "\",\"extra\":1}",
            "{\"value\":\"" + value + "\"",
            "{\"value\":[\"" + value + "\"]}",
            value)) {
      Reply rejected = client.put(cp + secret, body);
      assertThat(rejected.status()).as(body).isBetween(400, 499);
      assertThat(rejected.body()).doesNotContain(value);
    }
    // The value as a bearer token, and an unknown path with the real token.
    Reply asToken =
        client.send(HttpRequest.newBuilder(URI.create(host.url() + secret)).GET(), value);
    assertThat(asToken.status()).isEqualTo(401);
    assertThat(client.get(host.url() + "/v1/nowhere").status()).isEqualTo(404);

    // Every server has written its lines up to here once this INFO line is in its log.
    for (Map.Entry<String, Integer> server : adminPorts().entrySet()) {
      String admin = "http://127.0.0.1:" + server.getValue();
      String marker = "Admin task /tasks/log-level run with the admin token";
      int before = occurrences(server.getKey(), marker);
      adminPost(admin + "/tasks/log-level?logger=org.flywaydb&level=TRACE", token());
      awaitLogLines(server.getKey(), marker, before + 1);
    }

    List<Path> logs = regularFiles(directory.resolve("logs"));
    assertThat(logs).hasSize(adminPorts().size());
    for (Path log : logs) {
      String text = read(log);
      assertThat(text).as(log.toString()).doesNotContain(value).doesNotContain(token());
      // Third-party INFO still logs.
      assertThat(text).as(log.toString()).containsPattern("INFO  \\[[^]]*\\] io\\.dropwizard");
    }
    // Nowhere else either: only the configuration files and the credentials hold the token.
    Set<Path> holdTheToken = Set.of(directory.resolve("credentials.properties"));
    for (Path file : regularFiles(directory)) {
      byte[] bytes = Files.readAllBytes(file);
      assertThat(contains(bytes, value)).as(file.toString()).isFalse();
      boolean mayHoldToken =
          holdTheToken.contains(file)
              || (file.getParent().equals(directory.resolve("config"))
                  && file.getFileName().toString().endsWith(".yml"));
      if (!mayHoldToken) {
        assertThat(contains(bytes, token())).as(file.toString()).isFalse();
      }
    }
    assertOwnerOnly();
  }

  private String token() {
    return cluster.adminToken();
  }

  private Reply adminPost(String url, String bearer) {
    return client.send(
        HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.noBody()), bearer);
  }

  private void awaitLogLine(String server, String line) {
    awaitLogLines(server, line, 1);
  }

  /** Waits until {@code line} appears {@code times} times (the console appender is async). */
  private void awaitLogLines(String server, String line, int times) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    int seen = 0;
    while (System.nanoTime() < deadline) {
      seen = occurrences(server, line);
      if (seen >= times) {
        return;
      }
      sleep(100);
    }
    throw new AssertionError(
        server + " logged '" + line + "' " + seen + " times, expected " + times);
  }

  private int occurrences(String server, String line) {
    return read(logOf(server)).split(java.util.regex.Pattern.quote(line), -1).length - 1;
  }

  /**
   * No directory or regular file has a group or other permission bit. Exception: a root JVM runs
   * PostgreSQL under another account, whose group may search (only) the deployment directory and
   * its {@code postgres/} to reach the servers' directories.
   */
  private void assertOwnerOnly() {
    Set<Path> traversedByServerAccount = Set.of(directory, directory.resolve("postgres"));
    List<String> open = new ArrayList<>();
    try (Stream<Path> paths = Files.walk(directory)) {
      for (Path path : paths.toList()) {
        PosixFileAttributes attributes;
        try {
          attributes =
              Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (java.nio.file.NoSuchFileException gone) {
          continue; // a server's temporary file
        }
        if (!attributes.isDirectory() && !attributes.isRegularFile()) {
          continue; // PostgreSQL's Unix socket, 0700 by unix_socket_permissions, in a 0700
          // directory
        }
        Set<PosixFilePermission> permissions = EnumSet.copyOf(attributes.permissions());
        permissions.retainAll(GROUP_AND_OTHER);
        boolean serverAccountPassage =
            traversedByServerAccount.contains(path)
                && !attributes.owner().getName().equals(attributes.group().getName())
                && permissions.equals(EnumSet.of(PosixFilePermission.GROUP_EXECUTE));
        if (!permissions.isEmpty() && !serverAccountPassage) {
          open.add(
              directory.relativize(path)
                  + " "
                  + PosixFilePermissions.toString(attributes.permissions()));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    assertThat(open).as("paths with group or other permissions").isEmpty();
    assertThat(regularFiles(directory.resolve("logs"))).isNotEmpty();
    assertThat(host.replicaDirectory(directory)).isDirectory();
    assertThat(directory.resolve("postgres").resolve("shard-1").resolve("postgres.log")).exists();
  }

  private static List<Path> regularFiles(Path root) {
    try (Stream<Path> paths = Files.walk(root)) {
      return paths.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean contains(byte[] haystack, String needle) {
    byte[] n = needle.getBytes(StandardCharsets.UTF_8);
    outer:
    for (int i = 0; i + n.length <= haystack.length; i++) {
      for (int j = 0; j < n.length; j++) {
        if (haystack[i + j] != n[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
