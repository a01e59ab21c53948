package dev.coffer.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.core.model.ShardId;
import dev.coffer.deployment.CofferHttpClient.Reply;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The whole system with real processes: PostgreSQL servers, the control plane and four data-plane
 * hosts (two shards, two hosts each), talking HTTP.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EndToEndIT {
  private static final Duration REPLICATION_WAIT = Duration.ofSeconds(30);

  private LocalCluster cluster;
  private CofferHttpClient client;
  private String cp;

  @BeforeAll
  void startCluster() {
    cluster = LocalCluster.start(LocalCluster.Options.forTests());
    client = new CofferHttpClient(cluster.adminToken());
    cp = cluster.controlPlaneUrl();
  }

  @AfterAll
  void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  @Order(1)
  void secretsOnTwoShardsAreReadFromEveryHostOfTheirCellAndNoOther() {
    ShardId alphaShard = createVault("alpha");
    ShardId betaShard = createVault("beta");
    assertThat(alphaShard).as("new vaults spread over the shards").isNotEqualTo(betaShard);

    assertThat(putSecret("alpha", "db-password", "alpha-one")).isEqualTo(1);
    assertThat(putSecret("alpha", "db-password", "alpha-two")).isEqualTo(2);
    assertThat(putSecret("beta", "api-key", "beta-one")).isEqualTo(1);

    for (LocalCluster.Host host : cluster.hostsOf(alphaShard)) {
      Reply latest = awaitVersion(host, "alpha", "db-password", 2);
      assertThat(latest.json().path("value").asText()).isEqualTo("alpha-two");
      assertThat(latest.header("Coffer-Served-From")).isEqualTo("local");
      Reply first = client.get(host.url() + "/v1/vaults/alpha/secrets/db-password?version=1");
      assertThat(first.status()).isEqualTo(200);
      assertThat(first.json().path("value").asText()).isEqualTo("alpha-one");
      assertThat(first.json().path("version").asLong()).isEqualTo(1);
    }
    for (LocalCluster.Host host : cluster.hostsOf(betaShard)) {
      assertThat(awaitVersion(host, "beta", "api-key", 1).json().path("value").asText())
          .isEqualTo("beta-one");
      Reply other = client.get(host.url() + "/v1/vaults/alpha/secrets/db-password");
      assertThat(other.status()).isEqualTo(404);
      assertThat(other.errorCode()).isEqualTo("VAULT_NOT_FOUND");
    }
    for (LocalCluster.Host host : cluster.hostsOf(alphaShard)) {
      Reply other = client.get(host.url() + "/v1/vaults/beta/secrets/api-key");
      assertThat(other.status()).isEqualTo(404);
      assertThat(other.errorCode()).isEqualTo("VAULT_NOT_FOUND");
    }
  }

  @Test
  @Order(2)
  void aDeletedSecretDisappearsFromEveryHost() {
    ShardId shard = createVault("gamma");
    putSecret("gamma", "short-lived", "soon gone");
    putSecret("gamma", "stays", "still here");
    for (LocalCluster.Host host : cluster.hostsOf(shard)) {
      awaitVersion(host, "gamma", "short-lived", 1);
      awaitVersion(host, "gamma", "stays", 1);
    }
    Reply deleted = client.delete(cp + "/v1/vaults/gamma/secrets/short-lived");
    assertThat(deleted.status()).isEqualTo(200);
    for (LocalCluster.Host host : cluster.hostsOf(shard)) {
      Reply gone =
          await(
              () -> client.get(host.url() + "/v1/vaults/gamma/secrets/short-lived"),
              r -> r.status() == 404);
      assertThat(gone.errorCode()).isEqualTo("SECRET_NOT_FOUND");
      Reply version = client.get(host.url() + "/v1/vaults/gamma/secrets/short-lived?version=1");
      assertThat(version.status()).isEqualTo(404);
      Reply list = client.get(host.url() + "/v1/vaults/gamma/secrets");
      assertThat(names(list)).containsExactly("stays");
    }
  }

  @Test
  @Order(3)
  void hostsStoppedAndKilledDuringWritesEndWithExactlyTheStoresContents() throws Exception {
    ShardId shard = createVault("stream");
    List<LocalCluster.Host> cell = cluster.hostsOf(shard);
    LocalCluster.Host stopped = cell.get(0);
    LocalCluster.Host killed = cell.get(1);
    Random random = new Random(42);
    List<String> live = new ArrayList<>();
    int writes = 400;
    for (int i = 0; i < writes; i++) {
      if (i == 100) {
        stopped.process().stop();
      } else if (i == 150) {
        killed.process().kill();
      } else if (i == 250) {
        stopped.process().start();
      } else if (i == 300) {
        killed.process().start();
      }
      if (!live.isEmpty() && i % 9 == 0) {
        String victim = live.remove(random.nextInt(live.size()));
        assertThat(client.delete(cp + "/v1/vaults/stream/secrets/" + victim).status())
            .isEqualTo(200);
      } else {
        String name = "s" + random.nextInt(40);
        putSecret("stream", name, "value-" + i + "-" + UUID.randomUUID());
        if (!live.contains(name)) {
          live.add(name);
        }
      }
    }
    stopped.process().awaitHealthy(Duration.ofSeconds(90));
    killed.process().awaitHealthy(Duration.ofSeconds(90));

    Map<String, Map<Long, String>> expected = contents(cp, "stream");
    assertThat(expected.keySet()).containsExactlyInAnyOrderElementsOf(live);
    for (LocalCluster.Host host : cell) {
      Map<String, Map<Long, String>> actual =
          await(() -> contents(host.url(), "stream"), expected::equals);
      assertThat(actual).as("contents of %s", host.id()).isEqualTo(expected);
    }
  }

  @Test
  @Order(4)
  void readsSurviveTheLossOfTheControlPlane() {
    ShardId shard = createVault("resilient");
    putSecret("resilient", "token", "survives");
    for (LocalCluster.Host host : cluster.hostsOf(shard)) {
      awaitVersion(host, "resilient", "token", 1);
    }
    cluster.controlPlane().kill();
    try {
      for (LocalCluster.Host host : cluster.hostsOf(shard)) {
        Reply reply = client.get(host.url() + "/v1/vaults/resilient/secrets/token");
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().path("value").asText()).isEqualTo("survives");
      }
    } finally {
      cluster.controlPlane().start();
      cluster.controlPlane().awaitHealthy(Duration.ofSeconds(90));
    }
  }

  @Test
  @Order(5)
  void noPlaintextSecretReachesTheDisksOrTheLogs() throws IOException {
    String marker = "PLAINTEXT-MARKER-" + UUID.randomUUID();
    ShardId first = createVault("scan-one");
    ShardId second = createVault("scan-two");
    assertThat(first).isNotEqualTo(second);
    for (String vault : List.of("scan-one", "scan-two")) {
      for (int i = 0; i < 5; i++) {
        putSecret(vault, "marked-" + i, "prefix " + marker + " suffix " + i);
      }
    }
    // Rejected requests carrying the marker must not echo it in answers or logs either.
    Reply rejected = client.put(cp + "/v1/vaults/scan-one/secrets/bad", "{\"value\": \"" + marker);
    assertThat(rejected.status()).isEqualTo(400);
    assertThat(rejected.body()).doesNotContain(marker);
    Reply unknownVault =
        client.put(cp + "/v1/vaults/no-such-vault/secrets/x", CofferHttpClient.valueJson(marker));
    assertThat(unknownVault.status()).isEqualTo(404);
    assertThat(unknownVault.body()).doesNotContain(marker);
    Reply wrongType =
        client.put(cp + "/v1/vaults/scan-one/secrets/x", "{\"value\": [\"" + marker + "\"]}");
    assertThat(wrongType.status()).isEqualTo(400);
    assertThat(wrongType.body()).doesNotContain(marker);

    for (String vault : List.of("scan-one", "scan-two")) {
      ShardId shard = vault.equals("scan-one") ? first : second;
      for (LocalCluster.Host host : cluster.hostsOf(shard)) {
        Reply read = awaitVersion(host, vault, "marked-4", 1);
        assertThat(read.json().path("value").asText()).contains(marker);
      }
    }
    cluster.checkpointDatabases();

    List<Path> roots = new ArrayList<>(cluster.postgresDirectories());
    roots.add(cluster.directory());
    assertThat(cluster.postgresDirectories()).as("local PostgreSQL data to scan").isNotEmpty();
    byte[] markerBytes = marker.getBytes(StandardCharsets.UTF_8);
    List<Path> leaks = new ArrayList<>();
    for (Path root : roots) {
      leaks.addAll(filesContaining(root, markerBytes));
    }
    assertThat(leaks).as("files containing the plaintext marker").isEmpty();

    // Control: the encrypted form of those secrets is on the same disks, so the scan can see them.
    byte[] ciphertext =
        cluster
            .queryShardStore(
                first.value(),
                "SELECT ciphertext FROM secret_versions WHERE vault = 'scan-one'"
                    + " AND secret = 'marked-0'")
            .get(0);
    assertThat(filesContaining(cluster.postgresDirectory(first.value()), ciphertext))
        .as("shard store files holding the ciphertext")
        .isNotEmpty();
    for (LocalCluster.Host host : cluster.hostsOf(first)) {
      assertThat(filesContaining(host.replicaDirectory(cluster.directory()), ciphertext))
          .as("replica files of %s holding the ciphertext", host.id())
          .isNotEmpty();
    }
  }

  @Test
  @Order(6)
  void aVersionIsActiveOnlyOnceEveryHostOfItsCellHasAppliedIt() throws InterruptedException {
    ShardId shard = createVault("activation");
    String secretUrl = cp + "/v1/vaults/activation/secrets/key";
    Reply first = client.put(secretUrl, CofferHttpClient.valueJson("one"));
    assertThat(first.json().path("state").asText()).isEqualTo("PENDING");
    assertThat(await(() -> client.get(secretUrl), r -> state(r).equals("ACTIVE")))
        .extracting(EndToEndIT::state)
        .isEqualTo("ACTIVE");

    LocalCluster.Host down = cluster.hostsOf(shard).get(1);
    down.process().kill();
    client.put(secretUrl, CofferHttpClient.valueJson("two"));
    Thread.sleep(1500);
    assertThat(state(client.get(secretUrl))).as("a member host is down").isEqualTo("PENDING");
    // The state alone, without the value: the same answer from the real shard store.
    Reply stateOnly = client.get(secretUrl + "/versions/2/state");
    assertThat(stateOnly.status()).as(stateOnly.body()).isEqualTo(200);
    assertThat(stateOnly.json().path("state").asText()).isEqualTo("PENDING");
    assertThat(stateOnly.json().has("value")).isFalse();
    assertThat(client.get(secretUrl + "/versions/1/state").json().path("state").asText())
        .isEqualTo("ACTIVE");
    assertThat(client.get(secretUrl + "/versions/9/state").status()).isEqualTo(404);
    Reply hosts = client.get(cp + "/v1/shards/" + shard + "/hosts");
    assertThat(hosts.body()).contains(down.id());

    down.process().start();
    down.process().awaitHealthy(Duration.ofSeconds(90));
    assertThat(await(() -> client.get(secretUrl), r -> state(r).equals("ACTIVE")))
        .extracting(EndToEndIT::state)
        .as("the restarted host caught up")
        .isEqualTo("ACTIVE");

    down.process().kill();
    client.put(secretUrl, CofferHttpClient.valueJson("three"));
    Thread.sleep(500);
    assertThat(state(client.get(secretUrl))).isEqualTo("PENDING");
    Reply removed = client.delete(cp + "/v1/shards/" + shard + "/hosts/" + down.id());
    assertThat(removed.status()).as(removed.body()).isEqualTo(200);
    assertThat(await(() -> client.get(secretUrl), r -> state(r).equals("ACTIVE")))
        .extracting(EndToEndIT::state)
        .as("the operator removed the dead host")
        .isEqualTo("ACTIVE");

    down.process().start();
    down.process().awaitHealthy(Duration.ofSeconds(90));
    assertThat(
            await(
                    () -> client.get(cp + "/v1/shards/" + shard + "/hosts"),
                    r -> r.body().contains(down.id()))
                .body())
        .as("a restarted host registers itself again")
        .contains(down.id());
  }

  @Test
  @Order(7)
  void everyVaultKeyCreationIsInTheKeyAuditTrail() {
    createVault("audited");
    Reply vaults = client.get(cp + "/v1/vaults?limit=1000");
    List<String> names = new ArrayList<>();
    vaults.json().path("vaults").forEach(v -> names.add(v.path("name").asText()));

    List<JsonNode> records = new ArrayList<>();
    String after = "0";
    while (after != null) {
      Reply page = client.get(cp + "/v1/audit/key-operations?limit=3&after=" + after);
      assertThat(page.status()).as(page.body()).isEqualTo(200);
      page.json().path("records").forEach(records::add);
      after = page.json().hasNonNull("nextAfter") ? page.json().path("nextAfter").asText() : null;
    }

    // The deployment's own key setup (root keys, recovery key) is recorded too, by its commands.
    List<JsonNode> vaultKeys =
        records.stream()
            .filter(r -> r.path("operation").asText().equals("VAULT_KEY_CREATED"))
            .toList();
    assertThat(records)
        .extracting(r -> r.path("operation").asText())
        .containsOnly("VAULT_KEY_CREATED", "ROOT_KEY_CREATED", "RECOVERY_KEY_CREATED");
    assertThat(vaultKeys)
        .extracting(r -> r.path("subject").asText())
        .containsExactlyInAnyOrderElementsOf(
            names.stream().map(n -> "vault/" + n + "/key").toList());
    assertThat(vaultKeys)
        .allSatisfy(
            r -> {
              assertThat(r.path("actor").asText()).isEqualTo("admin-token");
              assertThat(r.path("outcome").asText()).isEqualTo("SUCCEEDED");
              assertThat(r.path("recordedAt").asText()).isNotBlank();
            });
    assertThat(records).extracting(r -> r.path("sequence").asLong()).isSorted();
  }

  private static String state(Reply reply) {
    return reply.json() == null ? "" : reply.json().path("state").asText();
  }

  private ShardId createVault(String name) {
    Reply reply = client.post(cp + "/v1/vaults", "{\"name\": \"" + name + "\"}");
    assertThat(reply.status()).as(reply.body()).isEqualTo(201);
    assertThat(reply.header("Coffer-Replication-Token")).isNotBlank();
    return ShardId.of(reply.json().path("shard").asText());
  }

  private long putSecret(String vault, String secret, String value) {
    Reply reply =
        client.put(
            cp + "/v1/vaults/" + vault + "/secrets/" + secret, CofferHttpClient.valueJson(value));
    assertThat(reply.status()).as(reply.body()).isEqualTo(201);
    assertThat(reply.json().path("replicationToken").asText()).matches("shard-\\d+:\\d+\\.\\d+");
    return reply.json().path("version").asLong();
  }

  private Reply awaitVersion(LocalCluster.Host host, String vault, String secret, long version) {
    return await(
        () -> client.get(host.url() + "/v1/vaults/" + vault + "/secrets/" + secret),
        r -> r.status() == 200 && r.json().path("version").asLong() == version);
  }

  /** Every live secret of a vault with every one of its versions, as a reader sees them. */
  private Map<String, Map<Long, String>> contents(String baseUrl, String vault) {
    Map<String, Map<Long, String>> contents = new TreeMap<>();
    String after = "";
    while (true) {
      Reply page = client.get(baseUrl + "/v1/vaults/" + vault + "/secrets?limit=7&after=" + after);
      assertThat(page.status()).as(page.body()).isEqualTo(200);
      for (JsonNode entry : page.json().path("secrets")) {
        String name = entry.path("name").asText();
        Map<Long, String> versions = new TreeMap<>();
        for (long v = 1; v <= entry.path("latestVersion").asLong(); v++) {
          Reply version =
              client.get(baseUrl + "/v1/vaults/" + vault + "/secrets/" + name + "?version=" + v);
          if (version.status() == 200) {
            versions.put(v, version.json().path("value").asText());
          } else {
            assertThat(version.errorCode()).isEqualTo("VERSION_NOT_FOUND");
          }
        }
        contents.put(name, versions);
      }
      if (page.json().path("nextAfter").isMissingNode()) {
        return contents;
      }
      after = page.json().path("nextAfter").asText();
    }
  }

  private static List<String> names(Reply list) {
    List<String> names = new ArrayList<>();
    list.json().path("secrets").forEach(e -> names.add(e.path("name").asText()));
    return names;
  }

  private static <T> T await(Supplier<T> probe, java.util.function.Predicate<T> done) {
    long deadline = System.nanoTime() + REPLICATION_WAIT.toNanos();
    T last = probe.get();
    while (!done.test(last)) {
      if (System.nanoTime() > deadline) {
        return last;
      }
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

  private static List<Path> filesContaining(Path root, byte[] needle) throws IOException {
    List<Path> found = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        byte[] bytes;
        try {
          bytes = Files.readAllBytes(file);
        } catch (IOException vanished) {
          continue; // PostgreSQL and RocksDB delete temporary files while we walk.
        }
        if (indexOf(bytes, needle) >= 0) {
          found.add(file);
        }
      }
    }
    return found;
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
