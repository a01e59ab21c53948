package dev.coffer.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.deployment.CofferHttpClient.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * New vaults go only to shards whose database answers (two shards, one host each, real PostgreSQL
 * servers): with one shard's server stopped every create lands on the other, and with both stopped
 * a create is 503 STORE_UNAVAILABLE saying no shard is available.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PlacementIT {
  private LocalCluster cluster;
  private CofferHttpClient client;
  private String cp;

  @BeforeAll
  void start() {
    cluster = LocalCluster.start(LocalCluster.Options.forTests().withShape(2, 1));
    client = new CofferHttpClient(cluster.adminToken());
    cp = cluster.controlPlaneUrl();
  }

  @AfterAll
  void stop() {
    if (cluster != null) {
      // Servers whose databases are gone take their whole grace period to stop; nothing here
      // needs a clean shutdown.
      cluster.hosts().forEach(h -> h.process().kill());
      cluster.controlPlane().kill();
      cluster.close();
    }
  }

  @Test
  void vaultsArePlacedOnlyOnShardsWhoseDatabaseAnswers() {
    // shard-1 holds no more vaults than shard-2, so it is the one placement would pick first; the
    // first create comes before the control plane's probe can have noticed.
    cluster.stopStore("shard-1");

    for (int i = 1; i <= 8; i++) {
      Reply created = client.post(cp + "/v1/vaults", "{\"name\":\"placed-" + i + "\"}");
      assertThat(created.status()).as(created.body()).isEqualTo(201);
      assertThat(created.json().path("shard").asText()).isEqualTo("shard-2");
    }
    Reply secret =
        client.put(cp + "/v1/vaults/placed-1/secrets/db-password", CofferHttpClient.valueJson("x"));
    assertThat(secret.status()).as(secret.body()).isEqualTo(201);

    cluster.stopStore("shard-2");

    Reply nowhere = client.post(cp + "/v1/vaults", "{\"name\":\"nowhere\"}");
    assertThat(nowhere.status()).as(nowhere.body()).isEqualTo(503);
    assertThat(nowhere.errorCode()).isEqualTo("STORE_UNAVAILABLE");
    assertThat(nowhere.json().path("error").path("message").asText())
        .contains("No shard is available")
        .doesNotContain("nowhere");
    Reply again = client.post(cp + "/v1/vaults", "{\"name\":\"nowhere\"}");
    assertThat(again.status()).as("a retry is not refused as existing").isEqualTo(503);
    assertThat(client.get(cp + "/v1/vaults/nowhere").errorCode()).isEqualTo("VAULT_NOT_FOUND");
  }
}
