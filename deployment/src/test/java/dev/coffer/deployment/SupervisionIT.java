package dev.coffer.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.deployment.CofferHttpClient.Reply;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A supervised deployment (one shard, one host, kept in a directory as the dev command's is)
 * notices a host or a PostgreSQL server killed with SIGKILL, names it and its log, and starts it
 * again; reads and writes then work as before.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SupervisionIT {
  private final List<String> notices = new CopyOnWriteArrayList<>();
  private Path directory;
  private LocalCluster cluster;
  private CofferHttpClient client;
  private String cp;

  @BeforeAll
  void start() throws IOException {
    // Not a temporary directory from Files: its owner-only mode keeps PostgreSQL's user out.
    directory =
        Files.createDirectories(
            Path.of("target", "supervision-" + System.nanoTime()).toAbsolutePath());
    cluster =
        LocalCluster.start(
            LocalCluster.Options.forTests()
                .withDirectory(directory, 0)
                .withShape(1, 1)
                .withSupervision(Supervisor.Policy.on(notices::add)));
    client = new CofferHttpClient(cluster.adminToken());
    cp = cluster.controlPlaneUrl();
    assertThat(client.post(cp + "/v1/vaults", "{\"name\":\"payments\"}").status()).isEqualTo(201);
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

  @Test
  void aKilledHostIsReportedAtOnceAndStartedAgain() throws Exception {
    notices.clear();
    Reply put =
        client.put(
            cp + "/v1/vaults/payments/secrets/db-password",
            CofferHttpClient.valueJson("correct horse"));
    assertThat(put.status()).as(put.body()).isEqualTo(201);
    LocalCluster.Host host = cluster.hosts().get(0);
    long pid = host.process().pid();

    host.process().kill();

    assertThat(await(Duration.ofSeconds(2), () -> !notices.isEmpty()))
        .as("a notice within 2 s of the kill")
        .isTrue();
    assertThat(notices.get(0))
        .contains(host.id())
        .contains("pid " + pid)
        .contains("stopped unexpectedly")
        .contains(host.process().logFile().toString())
        .contains("Restarting it in 1 s");

    assertThat(await(Duration.ofSeconds(90), () -> notices.size() >= 2)).isTrue();
    assertThat(notices.get(1)).contains(host.id()).contains("is running again");
    assertThat(host.process().isAlive()).isTrue();
    assertThat(host.process().pid()).isNotEqualTo(pid);
    HttpResponse<String> health =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + host.adminPort() + "/healthcheck"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
    Reply read =
        client.get(
            host.url() + "/v1/vaults/payments/secrets/db-password",
            put.header("Coffer-Replication-Token"));
    assertThat(read.status()).as(read.body()).isEqualTo(200);
    assertThat(read.json().path("value").asText()).isEqualTo("correct horse");
    assertThat(notices).hasSize(2);
  }

  @Test
  void aKilledPostgresServerIsStartedAgainOnItsData() throws Exception {
    notices.clear();
    Reply before =
        client.put(
            cp + "/v1/vaults/payments/secrets/before-kill", CofferHttpClient.valueJson("kept"));
    assertThat(before.status()).as(before.body()).isEqualTo(201);
    Path postmasterPid = cluster.postgresDirectory("shard-1").resolve("data/postmaster.pid");
    long pid = Long.parseLong(Files.readAllLines(postmasterPid).get(0).strip());

    ProcessHandle.of(pid).orElseThrow().destroyForcibly();

    assertThat(await(Duration.ofSeconds(10), () -> !notices.isEmpty())).isTrue();
    assertThat(notices.stream().filter(n -> n.startsWith("PostgreSQL")).findFirst().orElseThrow())
        .contains("PostgreSQL of the shard-1 store")
        .contains("pid " + pid)
        .contains("stopped unexpectedly")
        .contains(cluster.postgresDirectory("shard-1").toString());
    assertThat(
            await(
                Duration.ofSeconds(60),
                () -> notices.stream().anyMatch(n -> n.contains("running again"))))
        .as(String.join("\n", notices))
        .isTrue();

    // The servers reconnect on their own: a write and a host's read of it work again.
    Reply[] put = new Reply[1];
    assertThat(
            await(
                Duration.ofSeconds(30),
                () -> {
                  put[0] =
                      client.put(
                          cp + "/v1/vaults/payments/secrets/after-restart",
                          CofferHttpClient.valueJson("still here"));
                  return put[0].status() == 201;
                }))
        .as("a put after the restart")
        .isTrue();
    LocalCluster.Host host = cluster.hosts().get(0);
    Reply read =
        client.get(
            host.url() + "/v1/vaults/payments/secrets/after-restart",
            put[0].header("Coffer-Replication-Token"));
    assertThat(read.status()).as(read.body()).isEqualTo(200);
    assertThat(read.json().path("value").asText()).isEqualTo("still here");
    Reply earlier = client.get(cp + "/v1/vaults/payments/secrets/before-kill");
    assertThat(earlier.json().path("value").asText())
        .as("data from before the kill")
        .isEqualTo("kept");
  }

  private static boolean await(Duration timeout, BooleanSupplier done) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(20);
    }
    return true;
  }
}
