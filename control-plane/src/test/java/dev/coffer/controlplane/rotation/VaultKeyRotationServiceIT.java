package dev.coffer.controlplane.rotation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.controlplane.secret.SecretService;
import dev.coffer.controlplane.vault.VaultService;
import dev.coffer.core.crypto.EnvelopeSecretCrypto;
import dev.coffer.core.crypto.LocalRootKeyProvider;
import dev.coffer.core.crypto.NonceBudget;
import dev.coffer.core.crypto.RootOfTrust;
import dev.coffer.core.error.CofferException;
import dev.coffer.core.error.ErrorCode;
import dev.coffer.core.model.SecretName;
import dev.coffer.core.model.SecretStage;
import dev.coffer.core.model.SecretValue;
import dev.coffer.core.model.ShardId;
import dev.coffer.core.model.VaultName;
import dev.coffer.core.read.VersionSelector;
import dev.coffer.core.storage.VaultKeyStore;
import dev.coffer.embeddedpostgres.PostgresInstance;
import dev.coffer.embeddedpostgres.PostgresServers;
import dev.coffer.placement.ShardDirectory;
import dev.coffer.placement.postgres.PostgresKeyAuditLog;
import dev.coffer.placement.postgres.PostgresVaultPlacementStore;
import dev.coffer.replication.postgres.PostgresShardStore;
import dev.coffer.replication.postgres.PostgresVaultKeyStore;
import dev.coffer.replication.postgres.ShardDatabase;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The control plane's rotation pieces on real PostgreSQL stores: the rewrap job, automatic rotation
 * from persisted encryption counts, and the audit trail of both.
 */
class VaultKeyRotationServiceIT {
  private static final ShardId SHARD = ShardId.of("shard-1");
  private static final VaultName VAULT = VaultName.of("payments");
  private static final String ROOT_KEY = LocalRootKeyProvider.generateBase64Key();

  /** Small enough to reach in a test: the key is due after 10 encryptions. */
  private static final long THRESHOLD = 10;

  private static PostgresInstance server;

  private PostgresKeyAuditLog audit;
  private PostgresVaultPlacementStore placements;
  private ShardDirectory directory;
  private VaultKeyStore keys;
  private RewrapJob job;

  @BeforeAll
  static void startServer() {
    server = PostgresServers.startForTest();
  }

  @AfterAll
  static void stopServer() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  @BeforeEach
  void freshStores(TestInfo test) {
    String name =
        test.getTestMethod().orElseThrow().getName().toLowerCase(Locale.ROOT).substring(0, 20);
    PGSimpleDataSource base = dataSource(server.createDatabase("rb_" + name));
    PGSimpleDataSource shard = dataSource(server.createDatabase("rs_" + name));
    placements = PostgresVaultPlacementStore.migrate(base);
    placements.registerShard(SHARD);
    audit = new PostgresKeyAuditLog(base);
    ShardDatabase database = ShardDatabase.migrate(shard);
    PostgresShardStore store = new PostgresShardStore(database);
    keys = new PostgresVaultKeyStore(database);
    directory =
        new ShardDirectory(
            placements, Map.of(SHARD, new ShardDirectory.Shard(SHARD, store, store, keys, null)));
  }

  @AfterEach
  void stopJob() {
    if (job != null) {
      job.close();
    }
  }

  @Test
  void aVaultKeyDueByItsNonceBudgetIsRotatedAndTheCountSurvivesARestart() {
    ControlPlaneProcess first = new ControlPlaneProcess();
    first.vaults.create("admin-token", VAULT);
    first.putAll(6);
    first.usage.report();
    assertThat(primaryVersion()).isEqualTo(1);
    assertThat(keys.status(VAULT).versions().get(0).encryptions()).isEqualTo(6);

    // A restarted control plane counts from zero in memory, but adopts the stored total at its
    // first report: 6 + 5 reaches the threshold of 10.
    ControlPlaneProcess restarted = new ControlPlaneProcess();
    restarted.putAll(5);
    restarted.usage.report();

    assertThat(primaryVersion()).isEqualTo(2);
    assertThat(keys.status(VAULT).versions())
        .extracting(VaultKeyStore.KeyVersionUse::encryptions)
        .containsExactly(11L, 0L);
    assertThat(audit.list(0, 100))
        .anySatisfy(
            r -> {
              assertThat(r.entry().actor()).isEqualTo("nonce-budget");
              assertThat(r.entry().subject()).isEqualTo("vault/payments/key/v2");
            });

    // Version 1 stays due but is retired: nothing rotates again until version 2 is due.
    restarted.putAll(3);
    restarted.usage.report();
    assertThat(primaryVersion()).isEqualTo(2);
  }

  @Test
  void theRewrapJobFinishesARotationAndRecordsIt() throws Exception {
    ControlPlaneProcess cp = new ControlPlaneProcess();
    cp.vaults.create("admin-token", VAULT);
    cp.putAll(25);
    job = new RewrapJob(directory, cp.crypto, audit, 1000, 10, Duration.ofMinutes(1));
    VaultKeyRotation rotation = new VaultKeyRotation(directory, cp.crypto, audit, job::wake);

    rotation.rotate("admin-token", VAULT);
    job.runOnce();

    VaultKeyStore.KeyStatus status = keys.status(VAULT);
    assertThat(status.rewrap().orElseThrow().finishedAt()).isPresent();
    assertThat(status.versions())
        .extracting(VaultKeyStore.KeyVersionUse::sealedSecretVersions)
        .containsExactly(0L, 25L);
    assertThat(job.rewrapped()).isEqualTo(25);
    rotation.destroy("admin-token", VAULT, 1);
    for (int i = 0; i < 25; i++) {
      assertThat(cp.secrets.get(VAULT, SecretName.of("s" + i), current()).value().asUtf8())
          .contains("value " + i);
    }
    assertThat(audit.list(0, 100))
        .extracting(
            r -> r.entry().operation() + " " + r.entry().subject() + " " + r.entry().actor())
        .containsSubsequence(
            "VAULT_KEY_ROTATED vault/payments/key/v2 admin-token",
            "VAULT_KEY_REWRAP_FINISHED vault/payments/key/v2 rewrap-job",
            "VAULT_KEY_DESTROYED vault/payments/key/v1 admin-token");
  }

  @Test
  void aRefusedDestructionIsRecordedAsFailedWithItsCode() {
    ControlPlaneProcess cp = new ControlPlaneProcess();
    cp.vaults.create("admin-token", VAULT);
    VaultKeyRotation rotation = new VaultKeyRotation(directory, cp.crypto, audit, () -> {});

    assertThatThrownBy(() -> rotation.destroy("admin-token", VAULT, 1))
        .isInstanceOfSatisfying(
            CofferException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.VAULT_KEY_IN_USE));

    assertThat(audit.list(0, 100))
        .anySatisfy(
            r -> {
              assertThat(r.entry().operation().name()).isEqualTo("VAULT_KEY_DESTROYED");
              assertThat(r.entry().subject()).isEqualTo("vault/payments/key/v1");
              assertThat(r.entry().outcome().name()).isEqualTo("FAILED");
              assertThat(r.entry().detail()).isEqualTo("VAULT_KEY_IN_USE");
            });
  }

  /** One control plane process: its own crypto and in-memory nonce counts. */
  private final class ControlPlaneProcess {
    final NonceBudget budget = new NonceBudget(THRESHOLD);
    final EnvelopeSecretCrypto crypto =
        new EnvelopeSecretCrypto(
            RootOfTrust.of(LocalRootKeyProvider.fromBase64("root-1", ROOT_KEY)),
            Duration.ofMinutes(5),
            budget);
    final VaultService vaults = new VaultService(placements, directory, crypto, audit);
    final SecretService secrets = new SecretService(directory, crypto);
    final KeyUsageReporter usage =
        new KeyUsageReporter(
            budget,
            directory,
            new VaultKeyRotation(directory, crypto, audit, () -> {}),
            true,
            Duration.ofMinutes(1));

    void putAll(int count) {
      for (int i = 0; i < count; i++) {
        secrets.put(
            VAULT, SecretName.of("s" + i), SecretStage.CURRENT, SecretValue.ofUtf8("value " + i));
      }
    }
  }

  private int primaryVersion() {
    return keys.status(VAULT).versions().stream()
        .filter(VaultKeyStore.KeyVersionUse::primary)
        .findFirst()
        .orElseThrow()
        .version();
  }

  private static VersionSelector current() {
    return VersionSelector.of(OptionalLong.empty());
  }

  private static PGSimpleDataSource dataSource(String database) {
    PGSimpleDataSource dataSource = new PGSimpleDataSource();
    dataSource.setURL(server.jdbcUrl(database));
    dataSource.setUser(server.user());
    if (!server.password().isEmpty()) {
      dataSource.setPassword(server.password());
    }
    return dataSource;
  }
}
