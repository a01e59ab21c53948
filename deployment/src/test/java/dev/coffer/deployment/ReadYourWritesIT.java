package dev.coffer.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.core.model.LogPosition;
import dev.coffer.core.model.ReplicationToken;
import dev.coffer.core.model.ShardId;
import dev.coffer.deployment.CofferHttpClient.Reply;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A client that writes through the control plane and reads straight back from a host, which has had
 * no time to apply the write, must see it: with the write's token, exactly that version; with an
 * explicit version and no token, never a not-found. One shard, two hosts, real processes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReadYourWritesIT {
  private static final ShardId SHARD = ShardId.of("shard-1");
  private static final int ROUNDS = 200;

  private LocalCluster cluster;
  private CofferHttpClient client;
  private String cp;
  private List<LocalCluster.Host> hosts;

  @BeforeAll
  void startCluster() {
    cluster = LocalCluster.start(LocalCluster.Options.forTests().withShape(1, 2));
    client = new CofferHttpClient(cluster.adminToken());
    cp = cluster.controlPlaneUrl();
    hosts = cluster.hostsOf(SHARD);
  }

  @AfterAll
  void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  @Order(1)
  void aReadPresentingAWritesTokenSeesExactlyThatWrite() {
    createVault("ryw");
    Map<String, Integer> servedFrom = new TreeMap<>();
    for (int i = 1; i <= ROUNDS; i++) {
      Reply written = put("ryw", "counter", "value-" + i);
      String token = written.header("Coffer-Replication-Token");
      LocalCluster.Host host = hosts.get(i % hosts.size());

      Reply read = getWithToken(host.url() + "/v1/vaults/ryw/secrets/counter", token);

      assertThat(read.status()).as("round %d on %s: %s", i, host.id(), read.body()).isEqualTo(200);
      assertThat(read.json().path("version").asLong()).as("round %d", i).isEqualTo(i);
      assertThat(read.json().path("value").asText()).as("round %d", i).isEqualTo("value-" + i);
      String from = read.header("Coffer-Served-From");
      servedFrom.merge(from, 1, Integer::sum);
      LogPosition applied = LogPosition.parse(read.header("Coffer-Applied-Position"));
      if (from.equals("local")) {
        assertThat(applied.isAtLeast(ReplicationToken.parse(token).position()))
            .as("round %d: a local answer includes the token", i)
            .isTrue();
        // The write was appended moments ago, and this host applied it: it remembers how long
        // that took (same machine, same clock), and says so.
        String timing = read.header("Server-Timing");
        assertThat(timing).as("round %d", i).matches("apply;dur=\\d+\\.\\d{3}");
        assertThat(Double.parseDouble(timing.substring("apply;dur=".length())))
            .as("round %d: append → apply on %s, ms", i, host.id())
            .isBetween(0.0, 10_000.0);
      }
    }
    System.out.printf(
        "read-your-writes with token, %d reads: served from %s%n", ROUNDS, servedFrom);
    assertThat(servedFrom.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(ROUNDS);
    assertThat(servedFrom.keySet()).isSubsetOf("local", "remote");
  }

  @Test
  @Order(2)
  void anExplicitVersionReadRightAfterItsWriteIsNeverNotFound() {
    createVault("explicit");
    Map<String, Integer> servedFrom = new TreeMap<>();
    for (int i = 1; i <= ROUNDS; i++) {
      long version = put("explicit", "counter", "value-" + i).json().path("version").asLong();
      LocalCluster.Host host = hosts.get(i % hosts.size());

      Reply read =
          client.get(host.url() + "/v1/vaults/explicit/secrets/counter?version=" + version);

      assertThat(read.status()).as("round %d on %s: %s", i, host.id(), read.body()).isEqualTo(200);
      assertThat(read.json().path("version").asLong()).isEqualTo(version);
      assertThat(read.json().path("value").asText()).isEqualTo("value-" + i);
      servedFrom.merge(read.header("Coffer-Served-From"), 1, Integer::sum);
    }
    System.out.printf(
        "explicit version without token, %d reads: served from %s%n", ROUNDS, servedFrom);
  }

  /** Last, so that the counts printed include the reads above. */
  @Test
  @Order(3)
  void theHostsCountWhereTheirReadsWereServedOnTheAdminPort() {
    createVault("counted");
    put("counted", "one", "v");
    for (LocalCluster.Host host : hosts) {
      assertThat(client.get(host.url() + "/v1/vaults/counted/secrets/one?version=1").status())
          .isEqualTo(200);
    }
    for (LocalCluster.Host host : hosts) {
      Reply metrics = client.get("http://127.0.0.1:" + host.adminPort() + "/metrics");
      assertThat(metrics.status()).isEqualTo(200);
      JsonNode meters = metrics.json().path("meters");
      long local = meters.path("coffer.reads.shard-1.served.local").path("count").asLong(-1);
      long remote = meters.path("coffer.reads.shard-1.served.remote").path("count").asLong(-1);
      assertThat(local).as(host.id()).isGreaterThanOrEqualTo(0);
      assertThat(remote).as(host.id()).isGreaterThanOrEqualTo(0);
      assertThat(local + remote).as(host.id()).isPositive();
      JsonNode gauges = metrics.json().path("gauges");
      for (String gauge :
          List.of(
              "applied-position-txid", "held-back-reads", "writers-horizon-reads", "caught-up")) {
        assertThat(gauges.path("coffer.replication.shard-1." + gauge).has("value"))
            .as("%s replication gauge %s", host.id(), gauge)
            .isTrue();
      }
      assertThat(
              gauges
                  .path("coffer.replication.shard-1.applied-position-txid")
                  .path("value")
                  .asLong())
          .as(host.id())
          .isPositive();
      for (String reason : List.of("missing-locally", "token-wait-expired", "remote-unavailable")) {
        assertThat(meters.path("coffer.reads.shard-1.fallback." + reason).path("count").isNumber())
            .as("%s fallback meter %s", host.id(), reason)
            .isTrue();
      }
      System.out.printf(
          "%s: served.local=%d served.remote=%d fallback.missing-locally=%d"
              + " fallback.token-wait-expired=%d token.applied-during-wait=%d%n",
          host.id(),
          local,
          remote,
          meters.path("coffer.reads.shard-1.fallback.missing-locally").path("count").asLong(),
          meters.path("coffer.reads.shard-1.fallback.token-wait-expired").path("count").asLong(),
          meters.path("coffer.reads.shard-1.token.applied-during-wait").path("count").asLong());
    }
  }

  private void createVault(String name) {
    Reply reply = client.post(cp + "/v1/vaults", "{\"name\": \"" + name + "\"}");
    assertThat(reply.status()).as(reply.body()).isEqualTo(201);
    assertThat(reply.json().path("shard").asText()).isEqualTo(SHARD.value());
  }

  private Reply put(String vault, String secret, String value) {
    Reply reply =
        client.put(
            cp + "/v1/vaults/" + vault + "/secrets/" + secret, CofferHttpClient.valueJson(value));
    assertThat(reply.status()).as(reply.body()).isEqualTo(201);
    assertThat(reply.header("Coffer-Replication-Token")).startsWith(SHARD.value() + ":");
    return reply;
  }

  private Reply getWithToken(String url, String token) {
    return client.send(
        HttpRequest.newBuilder(URI.create(url)).header("Coffer-Replication-Token", token).GET(),
        cluster.adminToken());
  }
}
