package dev.coffer.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.core.model.ShardId;
import dev.coffer.deployment.CofferHttpClient.Reply;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The local deployment's router, a real process in front of two shards of two hosts each: it learns
 * placements, cells and the control plane only from the base store's log (the hosts advertise their
 * endpoints to their cells, the control plane mirrors the cells into the base store), sends writes
 * to the control plane and each vault's reads to a host of its own cell, and a cell whose hosts are
 * all down costs only that cell's vaults.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RoutedDeploymentIT {
  private static final Duration ROUTING_DATA_WAIT = Duration.ofSeconds(30);

  private LocalCluster cluster;
  private CofferHttpClient client;
  private String routerUrl;
  private final Map<String, ShardId> vaults = new LinkedHashMap<>();

  @BeforeAll
  void start() {
    cluster = LocalCluster.start(LocalCluster.Options.forTests().withShape(2, 2));
    client = new CofferHttpClient(cluster.adminToken());
    routerUrl = cluster.routerUrl();
  }

  @AfterAll
  void stop() {
    if (cluster != null) {
      cluster.router().kill();
      cluster.hosts().forEach(h -> h.process().kill());
      cluster.controlPlane().kill();
      cluster.close();
    }
  }

  private Set<String> hostIds(ShardId shard) {
    return cluster.hostsOf(shard).stream().map(LocalCluster.Host::id).collect(Collectors.toSet());
  }

  private static Reply await(Supplier<Reply> request, Predicate<Reply> done, String what) {
    long deadline = System.nanoTime() + ROUTING_DATA_WAIT.toNanos();
    Reply reply = request.get();
    while (!done.test(reply) && System.nanoTime() < deadline) {
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
      reply = request.get();
    }
    assertThat(done.test(reply)).as(what + ": " + reply.status() + " " + reply.body()).isTrue();
    return reply;
  }

  @Test
  @Order(1)
  void writesGoToTheControlPlaneAndEachVaultsReadsToItsOwnCell() {
    for (int i = 1; i <= 4; i++) {
      String vault = "routed-" + i;
      Reply created = client.post(routerUrl + "/v1/vaults", "{\"name\":\"" + vault + "\"}");
      assertThat(created.status()).as(created.body()).isEqualTo(201);
      vaults.put(vault, ShardId.of(created.json().path("shard").asText()));
    }
    assertThat(Set.copyOf(vaults.values())).as("both shards hold vaults").hasSize(2);

    for (Map.Entry<String, ShardId> vault : vaults.entrySet()) {
      String url = routerUrl + "/v1/vaults/" + vault.getKey() + "/secrets/db-password";
      Reply put = client.put(url, CofferHttpClient.valueJson("value of " + vault.getKey()));
      assertThat(put.status()).as(put.body()).isEqualTo(201);
      String token = put.json().path("replicationToken").asText();

      // The cell's hosts reach the router through the base store's log within a sync interval.
      Reply read =
          await(
              () -> client.get(url, token), r -> r.status() == 200, "a read of " + vault.getKey());
      assertThat(read.json().path("value").asText()).isEqualTo("value of " + vault.getKey());
      assertThat(read.header("Coffer-Served-By")).isIn(hostIds(vault.getValue()));
      assertThat(read.header("Coffer-Request-Id")).isNotBlank();
    }

    Reply unknown = client.get(routerUrl + "/v1/vaults/never-created/secrets/db-password");
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.errorCode()).isEqualTo("VAULT_NOT_FOUND");
  }

  @Test
  @Order(2)
  void aCellWithEveryHostDownCostsOnlyItsOwnVaults() {
    ShardId down = ShardId.of("shard-1");
    cluster.hostsOf(down).forEach(h -> h.process().kill());

    for (Map.Entry<String, ShardId> vault : vaults.entrySet()) {
      String url = routerUrl + "/v1/vaults/" + vault.getKey() + "/secrets/db-password";
      if (vault.getValue().equals(down)) {
        Reply refused =
            await(
                () -> client.get(url),
                r -> "CELL_UNAVAILABLE".equals(r.errorCode()),
                "a read of a vault whose cell is down");
        assertThat(refused.status()).isEqualTo(503);
      } else {
        for (int i = 0; i < 5; i++) {
          Reply read = client.get(url);
          assertThat(read.status()).as(read.body()).isEqualTo(200);
          assertThat(read.header("Coffer-Served-By")).isIn(hostIds(vault.getValue()));
        }
      }
    }
  }
}
