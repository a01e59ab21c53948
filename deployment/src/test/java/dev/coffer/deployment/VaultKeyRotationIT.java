package dev.coffer.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.core.model.ShardId;
import dev.coffer.deployment.CofferHttpClient.Reply;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Vault key rotation in a running deployment, under concurrent reads on every host and writes on
 * the control plane: two rotations, each rewrapped in the background, proved and followed by the
 * destruction of the retired version. Not one read or write may fail, and afterwards every host
 * serves every secret from its own replica under the only key version left.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VaultKeyRotationIT {
  private static final ShardId SHARD = ShardId.of("shard-1");
  private static final String VAULT = "rotation-it";
  private static final int SECRETS = 300;

  private LocalCluster cluster;
  private CofferHttpClient client;

  @BeforeAll
  void startCluster() {
    cluster = LocalCluster.start(LocalCluster.Options.forTests().withShape(1, 2));
    client = new CofferHttpClient(cluster.adminToken());
  }

  @AfterAll
  void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void rotationsUnderConcurrentReadsAndWritesFailNothingAndLeaveOneKeyVersion() throws Exception {
    String cp = cluster.controlPlaneUrl();
    String keys = cp + "/v1/vaults/" + VAULT + "/keys";
    assertThat(client.post(cp + "/v1/vaults", "{\"name\":\"" + VAULT + "\"}").status())
        .isEqualTo(201);
    for (int i = 1; i <= SECRETS; i++) {
      Reply put = client.put(secretUrl(cp, i), CofferHttpClient.valueJson("s" + i + "-gen0"));
      assertThat(put.status()).as(put.body()).isEqualTo(201);
    }

    AtomicBoolean running = new AtomicBoolean(true);
    AtomicLong reads = new AtomicLong();
    AtomicLong writes = new AtomicLong();
    Queue<String> failures = new ConcurrentLinkedQueue<>();
    ExecutorService load = Executors.newFixedThreadPool(4);
    List<Future<?>> workers = new ArrayList<>();
    List<LocalCluster.Host> hosts = cluster.hostsOf(SHARD);
    for (int r = 0; r < 3; r++) {
      workers.add(
          load.submit(
              () -> {
                while (running.get()) {
                  int i = ThreadLocalRandom.current().nextInt(1, SECRETS + 1);
                  LocalCluster.Host host =
                      hosts.get(ThreadLocalRandom.current().nextInt(hosts.size()));
                  Reply read = client.get(secretUrl(host.url(), i));
                  reads.incrementAndGet();
                  if (read.status() != 200
                      || !read.json().path("value").asText().startsWith("s" + i + "-gen")) {
                    failures.add(
                        "read s"
                            + i
                            + " on "
                            + host.id()
                            + ": "
                            + read.status()
                            + " "
                            + read.body());
                  }
                }
                return null;
              }));
    }
    workers.add(
        load.submit(
            () -> {
              long generation = 0;
              while (running.get()) {
                int i = ThreadLocalRandom.current().nextInt(1, SECRETS + 1);
                Reply put =
                    client.put(
                        secretUrl(cp, i),
                        CofferHttpClient.valueJson("s" + i + "-gen" + ++generation));
                writes.incrementAndGet();
                if (put.status() != 201) {
                  failures.add("write s" + i + ": " + put.status() + " " + put.body());
                }
              }
              return null;
            }));

    String lastToken;
    try {
      Thread.sleep(500);
      lastToken = rotateAndRetire(keys, 2);
      lastToken = rotateAndRetire(keys, 3);
      Thread.sleep(500);
    } finally {
      running.set(false);
      for (Future<?> worker : workers) {
        worker.get(1, TimeUnit.MINUTES);
      }
      load.shutdown();
    }

    assertThat(failures).as("failed reads and writes").isEmpty();
    assertThat(reads.get()).isGreaterThan(100);
    assertThat(writes.get()).isGreaterThan(10);

    JsonNode status = client.get(keys).json();
    assertThat(status.path("primaryVersion").asInt()).isEqualTo(3);
    assertThat(status.path("versions")).hasSize(1);
    assertThat(status.path("versions").get(0).path("sealedSecretVersions").asLong())
        .isGreaterThanOrEqualTo(SECRETS);

    // Every host has applied the rewraps and the destruction (the token covers them) and opens
    // every secret from its own replica: nothing it holds needs a destroyed version.
    for (LocalCluster.Host host : hosts) {
      for (int i = 1; i <= SECRETS; i++) {
        Reply read =
            client.send(
                HttpRequest.newBuilder(URI.create(secretUrl(host.url(), i)))
                    .header("Coffer-Replication-Token", lastToken)
                    .GET(),
                cluster.adminToken());
        assertThat(read.status()).as("s%d on %s: %s", i, host.id(), read.body()).isEqualTo(200);
        assertThat(read.header("Coffer-Served-From"))
            .as("s%d on %s", i, host.id())
            .isEqualTo("local");
      }
    }

    JsonNode audit = client.get(cp + "/v1/audit/key-operations?limit=1000").json();
    List<String> operations = new ArrayList<>();
    audit
        .path("records")
        .forEach(
            e ->
                operations.add(
                    e.path("operation").asText()
                        + " "
                        + e.path("subject").asText()
                        + " "
                        + e.path("actor").asText()));
    assertThat(operations)
        .contains(
            "VAULT_KEY_ROTATED vault/" + VAULT + "/key/v2 admin-token",
            "VAULT_KEY_REWRAP_FINISHED vault/" + VAULT + "/key/v2 rewrap-job",
            "VAULT_KEY_DESTROYED vault/" + VAULT + "/key/v1 admin-token",
            "VAULT_KEY_ROTATED vault/" + VAULT + "/key/v3 admin-token",
            "VAULT_KEY_DESTROYED vault/" + VAULT + "/key/v2 admin-token");
  }

  @Test
  void misusesAreClearClientErrorsAndChangeNothing() {
    String cp = cluster.controlPlaneUrl();
    String vault = "rotation-misuse";
    assertThat(client.post(cp + "/v1/vaults", "{\"name\":\"" + vault + "\"}").status())
        .isEqualTo(201);
    String keys = cp + "/v1/vaults/" + vault + "/keys";

    assertError(client.delete(keys + "/1"), 409, "VAULT_KEY_IN_USE", "primary");
    assertError(client.delete(keys + "/7"), 404, "VAULT_KEY_VERSION_NOT_FOUND", "no key version 7");
    assertError(client.delete(keys + "/one"), 400, "INVALID_VERSION", "whole number");
    assertError(client.delete(keys + "/0"), 400, "INVALID_VERSION", "whole number");
    assertError(
        client.post(cp + "/v1/vaults/no-such-vault/keys/rotate", ""), 404, "VAULT_NOT_FOUND", "");
    assertError(client.get(cp + "/v1/vaults/no-such-vault/keys"), 404, "VAULT_NOT_FOUND", "");
    Reply anonymous = new CofferHttpClient(null).post(keys + "/rotate", "");
    assertThat(anonymous.status()).isEqualTo(401);

    JsonNode status = client.get(keys).json();
    assertThat(status.path("primaryVersion").asInt()).isEqualTo(1);
    assertThat(status.path("versions").get(0).path("state").asText()).isEqualTo("PRIMARY");
    assertThat(status.has("rewrap")).isFalse();
  }

  /** The same rotation through the security team's commands, against the running deployment. */
  @Test
  void operatorCommandsRotateShowProgressAndDestroy() throws Exception {
    String cp = cluster.controlPlaneUrl();
    String vault = "rotation-commands";
    assertThat(client.post(cp + "/v1/vaults", "{\"name\":\"" + vault + "\"}").status())
        .isEqualTo(201);
    for (int i = 1; i <= 20; i++) {
      assertThat(
              client
                  .put(
                      cp + "/v1/vaults/" + vault + "/secrets/s" + i,
                      CofferHttpClient.valueJson("v" + i))
                  .status())
          .isEqualTo(201);
    }

    OperatorCommand.Outcome neither = command("vault-key-rotate");
    assertThat(neither.exitCode()).isNotZero();
    assertThat(neither.output())
        .contains("error: Name one vault with --vault NAME, or give --all.");
    OperatorCommand.Outcome unknown = command("vault-key-rotate", "--vault", "no-such-vault");
    assertThat(unknown.exitCode()).isNotZero();
    assertThat(unknown.output()).contains("no-such-vault: VAULT_NOT_FOUND");

    OperatorCommand.Outcome rotated = command("vault-key-rotate", "--vault", vault);
    assertThat(rotated.exitCode()).as(rotated.output()).isZero();
    assertThat(rotated.output()).contains(vault + ": now version 2").contains("Rotated 1 of 1");

    OperatorCommand.Outcome early =
        command("vault-key-destroy", "--vault", vault, "--version", "2");
    assertThat(early.exitCode()).isNotZero();
    assertThat(early.output()).contains("error: Version 2 is the vault's primary key");

    // The running control plane finds the rewrap the command started (at its next poll).
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    OperatorCommand.Outcome status;
    do {
      Thread.sleep(500);
      status = command("vault-key-status", "--vault", vault);
      assertThat(status.exitCode()).as(status.output()).isZero();
      assertThat(System.nanoTime()).as(status.output()).isLessThan(deadline);
    } while (!status.output().contains("FINISHED"));
    assertThat(status.output())
        .contains("v1  retired  seals 0 secret version(s)")
        .contains("v2  PRIMARY  seals 20 secret version(s)")
        .contains("Rewrap to v2: 20 rewrapped, 0 remaining");

    OperatorCommand.Outcome destroyed =
        command("vault-key-destroy", "--vault", vault, "--version", "1");
    assertThat(destroyed.exitCode()).as(destroyed.output()).isZero();
    assertThat(client.get(cp + "/v1/vaults/" + vault + "/keys").json().path("versions")).hasSize(1);
    for (LocalCluster.Host host : cluster.hostsOf(SHARD)) {
      for (int i = 1; i <= 20; i++) {
        Reply read = client.get(host.url() + "/v1/vaults/" + vault + "/secrets/s" + i);
        assertThat(read.status()).as(read.body()).isEqualTo(200);
        assertThat(read.json().path("value").asText()).isEqualTo("v" + i);
      }
    }
  }

  private OperatorCommand.Outcome command(String name, String... arguments) {
    Path softHsmConf =
        cluster.directory().resolve("keys").resolve("softhsm2").resolve("softhsm2.conf");
    Map<String, String> environment =
        Files.exists(softHsmConf) ? Map.of("SOFTHSM2_CONF", softHsmConf.toString()) : Map.of();
    return OperatorCommand.run(
        cluster.directory().resolve("config").resolve("control-plane.yml"),
        environment,
        name,
        arguments);
  }

  /** Rotates to {@code version}, waits for the rewrap to be proved, destroys the one before. */
  private String rotateAndRetire(String keys, int version) throws InterruptedException {
    Reply rotated = client.post(keys + "/rotate", "");
    assertThat(rotated.status()).as(rotated.body()).isEqualTo(200);
    assertThat(rotated.json().path("primaryVersion").asInt()).isEqualTo(version);
    assertThat(rotated.json().path("versions").get(0).path("state").asText()).isEqualTo("RETIRED");
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    JsonNode rewrap;
    do {
      Thread.sleep(100);
      rewrap = client.get(keys).json().path("rewrap");
      assertThat(System.nanoTime())
          .as("rewrap to v%d finished in time", version)
          .isLessThan(deadline);
    } while (!rewrap.has("finishedAt"));
    assertThat(rewrap.path("targetVersion").asInt()).isEqualTo(version);
    assertThat(rewrap.path("remaining").asLong()).isZero();
    assertThat(rewrap.path("rewrapped").asLong()).isGreaterThanOrEqualTo(SECRETS);

    Reply destroyed = client.delete(keys + "/" + (version - 1));
    assertThat(destroyed.status()).as(destroyed.body()).isEqualTo(200);
    assertThat(destroyed.json().path("versions")).hasSize(1);
    return destroyed.header("Coffer-Replication-Token");
  }

  private void assertError(Reply reply, int status, String code, String sentence) {
    assertThat(reply.status()).as(reply.body()).isEqualTo(status);
    assertThat(reply.json().path("error").path("code").asText()).isEqualTo(code);
    assertThat(reply.json().path("error").path("message").asText()).contains(sentence);
  }

  private static String secretUrl(String base, int i) {
    return base + "/v1/vaults/" + VAULT + "/secrets/s" + i;
  }
}
