package dev.coffer.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.core.model.ShardId;
import dev.coffer.deployment.CofferHttpClient.Reply;
import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The key hierarchy in a running deployment: vault keys wrapped by a keystore and a SoftHSM2 token
 * (a local root key stands in for the token when SoftHSM2 is not installed), a host that loses one
 * provider still reads, and the recovery commands bring the vault keys back when both are lost. One
 * shard, two hosts, real processes; the operator commands run as processes too.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RootOfTrustIT {
  private static final ShardId SHARD = ShardId.of("shard-1");
  private static final String VAULT = "keys-it";
  private static final int SECRETS = 20;

  private LocalCluster cluster;
  private CofferHttpClient client;
  private Path controlPlaneConfig;
  private boolean hsm;
  private final List<String> tokens = new ArrayList<>();

  @BeforeAll
  void startCluster() {
    cluster = LocalCluster.start(LocalCluster.Options.forTests().withShape(1, 2));
    client = new CofferHttpClient(cluster.adminToken());
    controlPlaneConfig = cluster.directory().resolve("config").resolve("control-plane.yml");
    hsm = Files.exists(softHsmConf());
    if (!hsm) {
      // A root-of-trust test that quietly leaves out the HSM is not a passing one.
      assertThat(System.getenv("COFFER_WITHOUT_SOFTHSM"))
          .as(
              "SoftHSM2 is not installed, so the deployment has no PKCS#11 provider: install"
                  + " softhsm2, or set COFFER_WITHOUT_SOFTHSM=true to run this test with a local"
                  + " root key standing in for the token")
          .isEqualTo("true");
      System.err.println(
          "RootOfTrustIT: COFFER_WITHOUT_SOFTHSM=true, so a local root key stands in for the"
              + " PKCS#11 token.");
    }
  }

  @AfterAll
  void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  @Order(1)
  void secretsWrittenAndReadThroughHostsWithBothProviders() {
    Reply created =
        client.post(cluster.controlPlaneUrl() + "/v1/vaults", "{\"name\":\"" + VAULT + "\"}");
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    for (int i = 1; i <= SECRETS; i++) {
      Reply put =
          client.put(
              cluster.controlPlaneUrl() + "/v1/vaults/" + VAULT + "/secrets/s" + i,
              CofferHttpClient.valueJson("value-" + i));
      assertThat(put.status()).as(put.body()).isEqualTo(201);
      tokens.add(put.header("Coffer-Replication-Token"));
    }
    for (LocalCluster.Host host : cluster.hostsOf(SHARD)) {
      assertThat(failedReads(host)).as("reads from %s", host.id()).isZero();
    }

    OperatorCommand.Outcome status = command("keys-status");
    assertThat(status.exitCode()).as(status.output()).isZero();
    assertThat(status.output())
        .contains("available    keystore root key 'dev-keystore'")
        .contains(hsm ? "available    pkcs11 root key 'dev-hsm'" : "local root key 'dev-local'")
        .contains("Recovery key: recovery-")
        .contains("1 of 1 vault key versions are wrapped by the current version");

    OperatorCommand.Outcome badThreshold =
        command(
            "recovery-init",
            "--shares",
            "2",
            "--threshold",
            "3",
            "--out",
            cluster.directory().resolve("more-shares").toString());
    assertThat(badThreshold.exitCode()).isNotZero();
    assertThat(badThreshold.output()).contains("error: --threshold must be at least 2 and at most");
    OperatorCommand.Outcome unknownKey = command("root-rotate", "--key-id", "no-such-key");
    assertThat(unknownKey.exitCode()).isNotZero();
    assertThat(unknownKey.output()).contains("error: No provider with keyId 'no-such-key'");
  }

  @Test
  @Order(2)
  void aHostWhoseKeystoreIsGoneReadsThroughTheOtherProviderWithoutErrors() throws IOException {
    LocalCluster.Host host = cluster.hostsOf(SHARD).get(0);
    Path keystore = cluster.directory().resolve("keys").resolve("root-keys.p12");
    Path moved = keystore.resolveSibling("root-keys.p12.away");
    host.process().stop();
    Files.move(keystore, moved);
    try {
      host.process().start();
      // One provider down is degraded, not down: the host becomes healthy and serves.
      host.process().awaitHealthy(Duration.ofMinutes(2));
      // A fresh process has no vault key cached: every read unwraps through the other provider.
      assertThat(failedReads(host)).isZero();
      Reply health = client.get("http://127.0.0.1:" + host.adminPort() + "/healthcheck");
      assertThat(health.status()).as(health.body()).isEqualTo(200);
      JsonNode rootKeys = health.json().path("root-keys");
      assertThat(rootKeys.path("healthy").asBoolean()).isTrue();
      assertThat(rootKeys.path("degraded").asBoolean()).isTrue();
      assertThat(rootKeys.path("message").asText()).startsWith("degraded").contains("dev-keystore");
      assertThat(rootKeys.path("providers").path("dev-keystore").asBoolean()).isFalse();
      assertThat(rootKeys.path("providers").path(hsm ? "dev-hsm" : "dev-local").asBoolean())
          .isTrue();
    } finally {
      Files.move(moved, keystore);
    }
    host.process().stop();
    host.process().start();
    host.process().awaitHealthy(Duration.ofMinutes(2));
  }

  @Test
  @Order(3)
  void recoverySharesRestoreTheVaultKeysWhenBothProvidersAreLost() throws Exception {
    cluster.hostsOf(SHARD).forEach(h -> h.process().stop());
    cluster.controlPlane().stop();
    loseBothProviders();

    OperatorCommand.Outcome init = command("keys-init");
    assertThat(init.exitCode()).as(init.output()).isZero();
    assertThat(init.output()).contains("created  keystore root key 'dev-keystore'");
    // The new keys have the old ids and versions: only unwrapping tells them apart.
    OperatorCommand.Outcome lost = command("keys-status", "--verify");
    assertThat(lost.exitCode()).as(lost.output()).isNotZero();
    assertThat(lost.output())
        .contains("CANNOT UNWRAP (DECRYPTION_FAILED)")
        .contains("error: 1 vault key(s) cannot be unwrapped");

    Path shares = cluster.directory().resolve("recovery-shares");
    OperatorCommand.Outcome tooFew =
        command("recovery-restore", "--share", share(shares, 1).toString());
    assertThat(tooFew.exitCode()).as(tooFew.output()).isNotZero();
    assertThat(tooFew.output()).contains("error: The shares do not restore the recovery key");

    OperatorCommand.Outcome restored =
        command(
            "recovery-restore",
            "--share",
            share(shares, 1).toString(),
            "--share",
            share(shares, 3).toString());
    assertThat(restored.exitCode()).as(restored.output()).isZero();
    assertThat(restored.output()).contains("Restored 1,");
    OperatorCommand.Outcome status = command("keys-status", "--verify");
    assertThat(status.exitCode()).as(status.output()).isZero();
    assertThat(status.output()).contains("1 of 1 vault key versions");

    cluster.controlPlane().start();
    cluster.controlPlane().awaitHealthy(Duration.ofMinutes(2));
    cluster.hostsOf(SHARD).forEach(h -> h.process().start());
    for (LocalCluster.Host host : cluster.hostsOf(SHARD)) {
      host.process().awaitHealthy(Duration.ofMinutes(2));
      assertThat(failedReads(host)).as("reads from %s after the restore", host.id()).isZero();
    }
    Reply put =
        client.put(
            cluster.controlPlaneUrl() + "/v1/vaults/" + VAULT + "/secrets/after-restore",
            CofferHttpClient.valueJson("still sealed"));
    assertThat(put.status()).as(put.body()).isEqualTo(201);
  }

  @Test
  @Order(4)
  void rotatingARootKeyRewrapsOnlineAndRunningHostsKeepReading() {
    OperatorCommand.Outcome rotated = command("root-rotate", "--key-id", "dev-keystore");
    assertThat(rotated.exitCode()).as(rotated.output()).isZero();
    assertThat(rotated.output()).contains("Created dev-keystore/v2").contains("Rewrapped 1,");
    // The hosts opened the keystore at version 1 and meet the rewrapped vault key by replication.
    for (int round = 0; round < 3; round++) {
      for (LocalCluster.Host host : cluster.hostsOf(SHARD)) {
        assertThat(failedReads(host)).as("reads from %s after the rotation", host.id()).isZero();
      }
    }
    OperatorCommand.Outcome status = command("keys-status", "--verify");
    assertThat(status.exitCode()).as(status.output()).isZero();
    assertThat(status.output()).contains("dev-keystore/v2").contains("1 of 1 vault key versions");
  }

  /** Deletes the keystore and replaces the token (or the local key) with an empty new one. */
  private void loseBothProviders() throws Exception {
    Path keys = cluster.directory().resolve("keys");
    Files.delete(keys.resolve("root-keys.p12"));
    Properties credentials = new Properties();
    try (Reader in =
        Files.newBufferedReader(cluster.directory().resolve("credentials.properties"))) {
      credentials.load(in);
    }
    if (hsm) {
      String pin = credentials.getProperty("hsmPin");
      String before = softHsm("--show-slots");
      softHsm("--delete-token", "--token", "coffer-dev");
      String output =
          softHsm("--init-token", "--free", "--label", "coffer-dev", "--pin", pin, "--so-pin", pin);
      Matcher slot = Pattern.compile("reassigned to slot (\\d+)").matcher(output);
      assertThat(slot.find()).as(output).isTrue();
      assertThat(before).as("the new token has a new slot id").doesNotContain(slot.group(1));
      // The configurations name the token by label, so they stay as they are.
      for (Path file : keyHoldersConfigs()) {
        assertThat(Files.readString(file))
            .as(file.toString())
            .containsPattern("tokenLabel: \"?coffer-dev")
            .doesNotContain("slot:");
      }
    } else {
      replaceInConfigs(
          credentials.getProperty("rootKey"),
          dev.coffer.core.crypto.LocalRootKeyProvider.generateBase64Key());
    }
  }

  /** The configurations of the servers that unwrap vault keys: all but the router's. */
  private List<Path> keyHoldersConfigs() throws IOException {
    try (Stream<Path> files = Files.list(cluster.directory().resolve("config"))) {
      return files.filter(file -> !file.getFileName().toString().equals("router.yml")).toList();
    }
  }

  private void replaceInConfigs(String from, String to) throws IOException {
    for (Path file : keyHoldersConfigs()) {
      String text = Files.readString(file);
      assertThat(text).as(file.toString()).contains(from);
      Files.writeString(file, text.replace(from, to));
    }
  }

  private String softHsm(String... arguments) throws Exception {
    List<String> line = new ArrayList<>(List.of("softhsm2-util"));
    line.addAll(List.of(arguments));
    ProcessBuilder builder = new ProcessBuilder(line).redirectErrorStream(true);
    builder.environment().put("SOFTHSM2_CONF", softHsmConf().toString());
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(output).isZero();
    return output;
  }

  private Path softHsmConf() {
    return cluster.directory().resolve("keys").resolve("softhsm2").resolve("softhsm2.conf");
  }

  private static Path share(Path directory, int index) {
    return directory.resolve("recovery-share-" + index + "-of-3.txt");
  }

  private OperatorCommand.Outcome command(String name, String... arguments) {
    Map<String, String> environment =
        hsm ? Map.of("SOFTHSM2_CONF", softHsmConf().toString()) : Map.of();
    return OperatorCommand.run(controlPlaneConfig, environment, name, arguments);
  }

  /** Reads every secret, presenting its write's token; counts answers other than the value. */
  private int failedReads(LocalCluster.Host host) {
    int failed = 0;
    for (int i = 1; i <= SECRETS; i++) {
      Reply read =
          client.send(
              HttpRequest.newBuilder(
                      URI.create(host.url() + "/v1/vaults/" + VAULT + "/secrets/s" + i))
                  .header("Coffer-Replication-Token", tokens.get(i - 1))
                  .GET(),
              cluster.adminToken());
      if (read.status() != 200 || !read.json().path("value").asText().equals("value-" + i)) {
        System.err.println(host.id() + " s" + i + ": " + read.status() + " " + read.body());
        failed++;
      }
    }
    return failed;
  }
}
