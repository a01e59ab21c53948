package dev.coffer.replication.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.core.crypto.EnvelopeSecretCrypto;
import dev.coffer.core.crypto.LocalRootKeyProvider;
import dev.coffer.core.crypto.SecretIdentity;
import dev.coffer.core.error.CofferException;
import dev.coffer.core.error.ErrorCode;
import dev.coffer.core.event.PositionedEvent;
import dev.coffer.core.model.LogPosition;
import dev.coffer.core.model.SecretName;
import dev.coffer.core.model.SecretStage;
import dev.coffer.core.model.SecretValue;
import dev.coffer.core.model.VaultName;
import dev.coffer.core.read.SecretReads;
import dev.coffer.core.read.VersionSelector;
import dev.coffer.core.storage.VaultKeyStore;
import dev.coffer.core.storage.VaultKeyStore.KeyStatus;
import dev.coffer.core.storage.VaultKeyStore.RewrapBatch;
import dev.coffer.replication.testing.RoundTripCountingDataSource;
import dev.coffer.replication.testing.ShardStoreExtension;
import dev.coffer.testkit.storage.InMemoryReplicaStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Vault key rotation against a real PostgreSQL with real envelope encryption: the ring, the
 * bookmarked rewrap, the proofs, and a replica fed from the log that keeps reading throughout.
 */
class PostgresVaultKeyStoreIT {
  private static final VaultName VAULT = VaultName.of("payments");

  private final EnvelopeSecretCrypto crypto =
      new EnvelopeSecretCrypto(
          LocalRootKeyProvider.fromBase64("root-1", LocalRootKeyProvider.generateBase64Key()),
          Duration.ofMinutes(5));
  private ShardDatabase database;
  private PostgresShardStore store;
  private PostgresVaultKeyStore keys;
  private PostgresLogReader reader;
  private InMemoryReplicaStore replica;
  private LogPosition replicated = LogPosition.ZERO;

  @RegisterExtension static final ShardStoreExtension SHARD = new ShardStoreExtension();

  @BeforeEach
  void freshShard() {
    database = SHARD.database();
    store = new PostgresShardStore(database);
    keys = new PostgresVaultKeyStore(database);
    reader = new PostgresLogReader(database);
    replica = new InMemoryReplicaStore();
    store.createVault(VAULT, crypto.newVaultKey(VAULT));
  }

  @Test
  void aRotationSealsNewWritesUnderTheNewVersionAtOnce() {
    put("old", "sealed under v1");

    VaultKeyStore.KeyChange change = keys.rotate(VAULT, v -> crypto.newVaultKey(VAULT, v));
    put("new", "sealed under v2");

    assertThat(change.primaryVersion()).isEqualTo(2);
    assertThat(store.latest(VAULT, SecretName.of("new")).orElseThrow().sealed().vaultKeyVersion())
        .isEqualTo(2);
    KeyStatus status = keys.status(VAULT);
    assertThat(status.versions())
        .containsExactly(
            new VaultKeyStore.KeyVersionUse(1, false, 1, 0),
            new VaultKeyStore.KeyVersionUse(2, true, 1, 0));
    assertThat(status.rewrap().orElseThrow().remaining()).isEqualTo(1);
    assertThat(status.rewrap().orElseThrow().finishedAt()).isEmpty();
    assertThat(read("old")).isEqualTo("sealed under v1");
    assertThat(read("new")).isEqualTo("sealed under v2");
  }

  @Test
  void theRewrapMovesEveryDataKeyInBookmarkedBatchesThenProvesItAndTheOldVersionCanGo() {
    for (int i = 0; i < 7; i++) {
      put("s" + i, "value " + i);
      put("s" + i, "value " + i + " again");
    }
    put("gone", "deleted before the rewrap");
    store.deleteSecret(VAULT, SecretName.of("gone"));
    keys.rotate(VAULT, v -> crypto.newVaultKey(VAULT, v));

    assertThatThrownBy(() -> keys.destroy(VAULT, 1))
        .isInstanceOfSatisfying(
            CofferException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.VAULT_KEY_IN_USE);
              assertThat(e.getMessage()).contains("14 secret version(s)");
            });

    List<RewrapBatch> batches = new ArrayList<>();
    RewrapBatch batch;
    do {
      batch = keys.rewrapBatch(VAULT, 5, crypto::rewrapDataKey).orElseThrow();
      batches.add(batch);
      // A replica that follows the log keeps reading every value between batches.
      replicate();
      for (int i = 0; i < 7; i++) {
        assertThat(replicaRead("s" + i)).isEqualTo("value " + i + " again");
      }
    } while (!batch.finished());

    assertThat(batches)
        .extracting(RewrapBatch::rewrapped)
        .containsExactly(5, 5, 4, 0); // the last batch only proves
    assertThat(keys.rewrapBatch(VAULT, 5, crypto::rewrapDataKey)).isEmpty();
    KeyStatus status = keys.status(VAULT);
    assertThat(status.versions())
        .extracting(VaultKeyStore.KeyVersionUse::sealedSecretVersions)
        .containsExactly(0L, 14L);
    assertThat(status.rewrap().orElseThrow().rewrapped()).isEqualTo(14);
    assertThat(status.rewrap().orElseThrow().finishedAt()).isPresent();

    keys.destroy(VAULT, 1);
    replicate();

    assertThat(keys.status(VAULT).versions())
        .containsExactly(new VaultKeyStore.KeyVersionUse(2, true, 14, 0));
    for (int i = 0; i < 7; i++) {
      assertThat(read("s" + i)).isEqualTo("value " + i + " again");
      assertThat(replicaRead("s" + i)).isEqualTo("value " + i + " again");
      assertThat(
              new SecretReads(replica, crypto)
                  .read(
                      VAULT,
                      SecretName.of("s" + i),
                      VersionSelector.of(java.util.OptionalLong.of(1)))
                  .value()
                  .asUtf8())
          .contains("value " + i);
    }
    // The old version's bytes are gone from the replica's ring too.
    assertThat(replica.vault(VAULT).orElseThrow().keys().versionNumbers()).containsExactly(2);
  }

  /**
   * A crash between batches loses nothing: a new store object (a restarted control plane) carries
   * on from the bookmark, and nothing is rewrapped twice.
   */
  @Test
  void aRewrapResumesFromItsBookmarkAfterARestart() {
    for (int i = 0; i < 6; i++) {
      put("s" + i, "value " + i);
    }
    keys.rotate(VAULT, v -> crypto.newVaultKey(VAULT, v));
    keys.rewrapBatch(VAULT, 4, crypto::rewrapDataKey);

    PostgresVaultKeyStore restarted = new PostgresVaultKeyStore(database);
    assertThat(restarted.unfinishedRewraps()).containsExactly(VAULT);
    RewrapBatch next = restarted.rewrapBatch(VAULT, 4, crypto::rewrapDataKey).orElseThrow();

    assertThat(next.rewrapped()).isEqualTo(2);
    assertThat(restarted.rewrapBatch(VAULT, 4, crypto::rewrapDataKey).orElseThrow().finished())
        .isTrue();
    assertThat(restarted.status(VAULT).rewrap().orElseThrow().rewrapped()).isEqualTo(6);
    assertThat(restarted.unfinishedRewraps()).isEmpty();
  }

  /**
   * Puts that keep writing while the rewrap runs: whatever they sealed under the old version (a put
   * that read the ring before the rotation) is caught by another pass before the rewrap finishes,
   * and no put fails.
   */
  @Test
  void writesDuringARewrapAreNeverLeftUnderTheOldVersion() throws Exception {
    for (int i = 0; i < 20; i++) {
      put("s" + i, "value " + i);
    }
    AtomicBoolean writing = new AtomicBoolean(true);
    AtomicInteger writes = new AtomicInteger();
    ExecutorService writers = Executors.newFixedThreadPool(3);
    List<Future<?>> running = new ArrayList<>();
    for (int w = 0; w < 3; w++) {
      int writer = w;
      running.add(
          writers.submit(
              () -> {
                while (writing.get()) {
                  put("s" + (writes.incrementAndGet() % 20), "written by " + writer);
                }
                return null;
              }));
    }
    try {
      keys.rotate(VAULT, v -> crypto.newVaultKey(VAULT, v));
      while (!keys.rewrapBatch(VAULT, 7, crypto::rewrapDataKey).orElseThrow().finished()) {
        // keep going
      }
    } finally {
      writing.set(false);
      for (Future<?> f : running) {
        f.get();
      }
      writers.shutdown();
    }

    assertThat(writes.get()).isPositive();
    assertThat(keys.status(VAULT).versions().get(0).sealedSecretVersions()).isZero();
    keys.destroy(VAULT, 1);
    replicate();
    for (int i = 0; i < 20; i++) {
      assertThat(replicaRead("s" + i)).isEqualTo(read("s" + i));
    }
  }

  @Test
  void destroyRefusesThePrimaryAndUnknownVersionsWithClearErrors() {
    assertThatThrownBy(() -> keys.destroy(VAULT, 1))
        .isInstanceOfSatisfying(
            CofferException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.VAULT_KEY_IN_USE);
              assertThat(e.getMessage()).contains("primary");
            });
    assertThatThrownBy(() -> keys.destroy(VAULT, 9))
        .isInstanceOfSatisfying(
            CofferException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.VAULT_KEY_VERSION_NOT_FOUND));
    VaultName missing = VaultName.of("nowhere");
    assertThatThrownBy(() -> keys.rotate(missing, v -> crypto.newVaultKey(missing, v)))
        .isInstanceOfSatisfying(
            CofferException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.VAULT_NOT_FOUND));
    assertThat(keys.rewrapBatch(VAULT, 10, crypto::rewrapDataKey)).isEmpty();
  }

  @Test
  void aSecondRotationRetargetsTheRewrapAndEveryOlderVersionDrains() {
    put("a", "one");
    keys.rotate(VAULT, v -> crypto.newVaultKey(VAULT, v));
    put("b", "two");
    keys.rotate(VAULT, v -> crypto.newVaultKey(VAULT, v));

    while (!keys.rewrapBatch(VAULT, 1, crypto::rewrapDataKey).orElseThrow().finished()) {
      // keep going
    }

    assertThat(keys.status(VAULT).versions())
        .extracting(VaultKeyStore.KeyVersionUse::sealedSecretVersions)
        .containsExactly(0L, 0L, 2L);
    keys.destroy(VAULT, 1);
    keys.destroy(VAULT, 2);
    replicate();
    assertThat(replicaRead("a")).isEqualTo("one");
    assertThat(replicaRead("b")).isEqualTo("two");
  }

  @Test
  void encryptionReportsFromSeveralProcessesAddUpPerVersion() {
    assertThat(keys.recordEncryptions(VAULT, 1, 40)).isEqualTo(40);
    assertThat(new PostgresVaultKeyStore(database).recordEncryptions(VAULT, 1, 2)).isEqualTo(42);
    keys.rotate(VAULT, v -> crypto.newVaultKey(VAULT, v));
    assertThat(keys.recordEncryptions(VAULT, 2, 5)).isEqualTo(5);

    assertThat(keys.status(VAULT).versions())
        .extracting(VaultKeyStore.KeyVersionUse::encryptions)
        .containsExactly(42L, 5L);
    VaultName missing = VaultName.of("nowhere");
    assertThatThrownBy(() -> keys.recordEncryptions(missing, 1, 1))
        .isInstanceOfSatisfying(
            CofferException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.VAULT_NOT_FOUND));
  }

  /**
   * Every control plane records its uses for every vault every few seconds: one autocommit
   * statement each, so no transaction id is held across a round trip to the control plane, where it
   * would hold back every tailer of the shard.
   */
  @Test
  void recordingUsesIsOneAutocommitStatement() {
    RoundTripCountingDataSource counting = new RoundTripCountingDataSource(database.dataSource());
    PostgresVaultKeyStore counted = new PostgresVaultKeyStore(ShardDatabase.validated(counting));
    counting.reset();

    assertThat(counted.recordEncryptions(VAULT, 1, 7)).isEqualTo(7);
    assertThatThrownBy(() -> counted.recordEncryptions(VaultName.of("nowhere"), 1, 1))
        .isInstanceOf(CofferException.class);

    assertThat(counting.executions()).isEqualTo(2);
    assertThat(counting.commits()).isZero();
  }

  private void put(String secret, String value) {
    SecretName name = SecretName.of(secret);
    store.putSecret(
        VAULT,
        name,
        SecretStage.CURRENT,
        (vaultKey, version) ->
            crypto.seal(
                new SecretIdentity(VAULT, name, version), vaultKey, SecretValue.ofUtf8(value)));
  }

  private String read(String secret) {
    return new SecretReads(store, crypto)
        .read(VAULT, SecretName.of(secret), VersionSelector.of(java.util.OptionalLong.empty()))
        .value()
        .asUtf8()
        .orElseThrow();
  }

  private String replicaRead(String secret) {
    return new SecretReads(replica, crypto)
        .read(VAULT, SecretName.of(secret), VersionSelector.of(java.util.OptionalLong.empty()))
        .value()
        .asUtf8()
        .orElseThrow();
  }

  private void replicate() {
    while (true) {
      List<PositionedEvent> events = reader.readAfter(replicated, 1000);
      if (events.isEmpty()) {
        return;
      }
      replica.apply(events);
      replicated = events.get(events.size() - 1).position();
    }
  }
}
