package dev.coffer.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.deployment.CofferHttpClient.Reply;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A rotation through version stages with real processes (one shard, two hosts): write v1, write v2
 * PENDING, every host keeps serving v1 by default; promote v2, every host serves v2 and v1 as
 * PREVIOUS — with the promotion's token at once, without it once replicated. On the same
 * deployment: values read back exactly from the control plane and every host, or are refused.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StagesIT {
  private static final Duration REPLICATION_WAIT = Duration.ofSeconds(30);

  private LocalCluster cluster;
  private CofferHttpClient client;
  private String cp;

  @BeforeAll
  void start() {
    cluster = LocalCluster.start(LocalCluster.Options.forTests().withShape(1, 2));
    client = new CofferHttpClient(cluster.adminToken());
    cp = cluster.controlPlaneUrl();
    assertThat(client.post(cp + "/v1/vaults", "{\"name\":\"payments\"}").status()).isEqualTo(201);
  }

  @AfterAll
  void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void aPendingVersionIsServedOnlyOncePromotedOnEveryHost() {
    String path = "/v1/vaults/payments/secrets/db-password";
    Reply first = client.put(cp + path, CofferHttpClient.valueJson("old password"));
    assertThat(first.status()).as(first.body()).isEqualTo(201);
    assertThat(first.json().path("stages").toString()).isEqualTo("{\"CURRENT\":1}");

    Reply pending =
        client.put(cp + path + "?stage=PENDING", CofferHttpClient.valueJson("new password"));
    assertThat(pending.status()).as(pending.body()).isEqualTo(201);
    assertThat(pending.json().path("version").asLong()).isEqualTo(2);
    assertThat(pending.json().path("stages").toString()).isEqualTo("{\"CURRENT\":1,\"PENDING\":2}");
    String pendingToken = pending.header("Coffer-Replication-Token");

    for (LocalCluster.Host host : cluster.hosts()) {
      Reply current = client.get(host.url() + path, pendingToken);
      assertThat(current.status()).as(current.body()).isEqualTo(200);
      assertThat(current.json().path("version").asLong()).isEqualTo(1);
      assertThat(current.json().path("value").asText()).isEqualTo("old password");
      assertThat(current.json().path("stages").toString()).isEqualTo("[\"CURRENT\"]");
      Reply staged = client.get(host.url() + path + "?stage=PENDING", pendingToken);
      assertThat(staged.json().path("value").asText()).isEqualTo("new password");
      Reply byNumber = client.get(host.url() + path + "?version=2", pendingToken);
      assertThat(byNumber.json().path("stages").toString()).isEqualTo("[\"PENDING\"]");
    }

    Reply promoted = client.post(cp + path + "/promote?version=2", "");
    assertThat(promoted.status()).as(promoted.body()).isEqualTo(200);
    assertThat(promoted.json().path("stages").toString())
        .isEqualTo("{\"CURRENT\":2,\"PREVIOUS\":1}");
    String promotionToken = promoted.header("Coffer-Replication-Token");
    assertThat(promotionToken).isEqualTo(promoted.json().path("replicationToken").asText());

    for (LocalCluster.Host host : cluster.hosts()) {
      Reply current = client.get(host.url() + path, promotionToken);
      assertThat(current.status()).as(current.body()).isEqualTo(200);
      assertThat(current.json().path("version").asLong()).isEqualTo(2);
      assertThat(current.json().path("value").asText()).isEqualTo("new password");
      assertThat(current.json().path("stages").toString()).isEqualTo("[\"CURRENT\"]");
      Reply previous = client.get(host.url() + path + "?stage=PREVIOUS", promotionToken);
      assertThat(previous.json().path("version").asLong()).isEqualTo(1);
      assertThat(previous.json().path("value").asText()).isEqualTo("old password");
      Reply noPending = client.get(host.url() + path + "?stage=PENDING", promotionToken);
      assertThat(noPending.status()).isEqualTo(404);
      assertThat(noPending.errorCode()).isEqualTo("NO_VERSION_IN_STAGE");

      // Without a token the host answers from its replica once the promotion is applied there.
      Reply local =
          await(
              () -> client.get(host.url() + path),
              r -> r.status() == 200 && r.json().path("version").asLong() == 2);
      assertThat(local.json().path("version").asLong()).isEqualTo(2);
      assertThat(local.header("Coffer-Served-From")).isEqualTo("local");
    }

    // A retried promotion answers the same map, with a token of its own.
    Reply again = client.post(cp + path + "/promote?version=2", "");
    assertThat(again.status()).as(again.body()).isEqualTo(200);
    assertThat(again.json().path("stages").toString()).isEqualTo("{\"CURRENT\":2,\"PREVIOUS\":1}");
    assertThat(again.header("Coffer-Replication-Token")).isNotEqualTo(promotionToken);

    Reply controlPlane = client.get(cp + path + "?stage=PREVIOUS");
    assertThat(controlPlane.json().path("version").asLong()).isEqualTo(1);
    assertThat(controlPlane.json().path("stages").toString()).isEqualTo("[\"PREVIOUS\"]");
    assertThat(controlPlane.json().path("state").asText()).isIn("PENDING", "ACTIVE");

    // Rolling back is promoting PREVIOUS.
    Reply rollback = client.post(cp + path + "/promote?version=1", "");
    assertThat(rollback.json().path("stages").toString())
        .isEqualTo("{\"CURRENT\":1,\"PREVIOUS\":2}");
    for (LocalCluster.Host host : cluster.hosts()) {
      Reply current = client.get(host.url() + path, rollback.header("Coffer-Replication-Token"));
      assertThat(current.json().path("value").asText()).isEqualTo("old password");
    }
  }

  @Test
  void aValueIsReadBackExactlyEverywhereOrRefused() {
    String path = "/v1/vaults/payments/secrets/";
    // Written as JSON escapes: a client's encoder would turn a lone surrogate into '?' itself.
    for (String escaped : List.of("\\ud800x", "x\\udc00", "\\ude00\\ud83d")) {
      Reply refused = client.put(cp + path + "lone", "{\"value\":\"" + escaped + "\"}");
      assertThat(refused.status()).as(escaped).isEqualTo(400);
      assertThat(refused.errorCode()).isEqualTo("INVALID_SECRET_VALUE");
    }
    assertThat(client.get(cp + path + "lone").errorCode()).isEqualTo("SECRET_NOT_FOUND");

    Map<String, String> values =
        Map.of(
            "astral", "\ud83d\ude00 \ud834\udd1e \udbff\udfff",
            "nul", "before\u0000after",
            "noncharacter", "\uffff\ufffe",
            "mixed", "a\u0000\uffff\ud83d\ude00\u00e9\u2028\"\\/\u001f\u007f\ufeff");
    for (Map.Entry<String, String> value : values.entrySet()) {
      Reply put =
          client.put(cp + path + value.getKey(), CofferHttpClient.valueJson(value.getValue()));
      assertThat(put.status()).as(put.body()).isEqualTo(201);
      String token = put.header("Coffer-Replication-Token");

      Reply fromControlPlane = client.get(cp + path + value.getKey());
      assertThat(fromControlPlane.json().path("value").asText()).isEqualTo(value.getValue());
      for (LocalCluster.Host host : cluster.hosts()) {
        Reply fromHost = client.get(host.url() + path + value.getKey(), token);
        assertThat(fromHost.status()).as(fromHost.body()).isEqualTo(200);
        assertThat(fromHost.json().path("value").asText())
            .as(value.getKey() + " from " + host.id())
            .isEqualTo(value.getValue());
      }
    }
  }

  private static <T> T await(Supplier<T> probe, Predicate<T> done) {
    long deadline = System.nanoTime() + REPLICATION_WAIT.toNanos();
    T last = probe.get();
    while (!done.test(last) && System.nanoTime() < deadline) {
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return last;
      }
      last = probe.get();
    }
    return last;
  }
}
