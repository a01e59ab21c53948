package dev.coffer.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.deployment.CofferHttpClient.Reply;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A supervised deployment (one shard, one host) notices a host killed with SIGKILL at once, names
 * it and its log, and starts it again; the host then serves reads as before.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SupervisionIT {
  private final List<String> notices = new CopyOnWriteArrayList<>();
  private LocalCluster cluster;
  private CofferHttpClient client;
  private String cp;

  @BeforeAll
  void start() {
    cluster =
        LocalCluster.start(
            LocalCluster.Options.forTests()
                .withShape(1, 1)
                .withSupervision(Supervisor.Policy.on(notices::add)));
    client = new CofferHttpClient(cluster.adminToken());
    cp = cluster.controlPlaneUrl();
  }

  @AfterAll
  void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void aKilledHostIsReportedAtOnceAndStartedAgain() throws Exception {
    assertThat(client.post(cp + "/v1/vaults", "{\"name\":\"payments\"}").status()).isEqualTo(201);
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
