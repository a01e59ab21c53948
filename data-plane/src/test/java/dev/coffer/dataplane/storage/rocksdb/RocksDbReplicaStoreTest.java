package dev.coffer.dataplane.storage.rocksdb;

import static dev.coffer.testkit.storage.ReplicaEvents.deleted;
import static dev.coffer.testkit.storage.ReplicaEvents.put;
import static dev.coffer.testkit.storage.ReplicaEvents.stagesChanged;
import static dev.coffer.testkit.storage.ReplicaEvents.vaultCreated;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.core.event.PositionedEvent;
import dev.coffer.core.event.ReplicationEvent;
import dev.coffer.core.model.LogPosition;
import dev.coffer.core.model.SecretMetadata;
import dev.coffer.core.model.SecretName;
import dev.coffer.core.model.SecretVersionRecord;
import dev.coffer.core.model.StageMap;
import dev.coffer.core.model.VaultName;
import dev.coffer.core.storage.ReplicaStore;
import dev.coffer.testkit.storage.ObservableState;
import dev.coffer.testkit.storage.ReplicaStoreContract;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksIterator;

class RocksDbReplicaStoreTest extends ReplicaStoreContract {
  @TempDir Path directory;

  @Override
  protected ReplicaStore newStore() {
    return RocksDbReplicaStore.open(directory);
  }

  @Override
  protected ReplicaStore reopen(ReplicaStore store) {
    store.close();
    return RocksDbReplicaStore.open(directory);
  }

  @Test
  void dataAndPositionSurviveCloseAndReopen(@TempDir Path own) {
    List<PositionedEvent> events = new ArrayList<>();
    events.add(at(1, 0, vaultCreated("v", 1)));
    for (int i = 1; i <= 200; i++) {
      events.add(at(1 + i, 0, put("v", "s" + (i % 20), 1 + i / 20, 1 + i / 20)));
    }
    events.add(at(300, 0, deleted("v", "s3", 100)));
    ObservableState before;
    try (RocksDbReplicaStore store = RocksDbReplicaStore.open(own)) {
      for (int start = 0; start < events.size(); start += 16) {
        store.apply(events.subList(start, Math.min(events.size(), start + 16)));
      }
      before = observe(store);
      assertThat(store.appliedPosition()).isEqualTo(new LogPosition(300, 0));
    }

    try (RocksDbReplicaStore store = RocksDbReplicaStore.open(own)) {
      assertThat(store.appliedPosition()).isEqualTo(new LogPosition(300, 0));
      assertThat(observe(store)).isEqualTo(before);
      assertThat(store.list(VaultName.of("v"), Optional.empty(), 1000)).hasSize(19);
      assertThat(store.latest(VaultName.of("v"), SecretName.of("s4")))
          .map(SecretVersionRecord::version)
          .contains(10L);
    }
  }

  @Test
  void versionValuesHoldTheSealedBytesVerbatim(@TempDir Path own) throws Exception {
    try (RocksDbReplicaStore store = RocksDbReplicaStore.open(own)) {
      store.apply(List.of(at(1, 0, put("v", "s", 1, 1))));
    }
    // The sealed bytes are the only payload; what the store adds is framing, not re-encoding.
    try (Options options = new Options();
        RocksDB db = RocksDB.open(options, own.toString());
        RocksIterator all = db.newIterator()) {
      int versions = 0;
      for (all.seekToFirst(); all.isValid(); all.next()) {
        if (all.key()[0] == 0x03) {
          versions++;
          String value = new String(all.value(), StandardCharsets.ISO_8859_1);
          assertThat(value).contains("ciphertext:v/s/1/1").contains("dek:v/s/1/1");
        }
      }
      assertThat(versions).isEqualTo(1);
    }
  }

  @Test
  void aSecondOpenOfTheSameDirectoryIsRefused(@TempDir Path own) {
    try (RocksDbReplicaStore store = RocksDbReplicaStore.open(own)) {
      assertThatThrownBy(() -> RocksDbReplicaStore.open(own))
          .isInstanceOf(UncheckedIOException.class);
      store.apply(List.of(at(1, 0, put("v", "s", 1, 1))));
    }
    try (RocksDbReplicaStore store = RocksDbReplicaStore.open(own)) {
      assertThat(store.appliedPosition()).isEqualTo(new LogPosition(1, 0));
    }
  }

  @Test
  void anUnknownKeyLayoutIsRefused(@TempDir Path own) throws Exception {
    try (Options options = new Options().setCreateIfMissing(true);
        RocksDB db = RocksDB.open(options, own.toString())) {
      db.put(KeyLayout.FORMAT, new byte[] {3});
    }

    assertThatThrownBy(() -> RocksDbReplicaStore.open(own))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("key layout");
    // The failed open released the directory lock.
    try (Options options = new Options();
        RocksDB db = RocksDB.open(options, own.toString())) {
      assertThat(db.get(KeyLayout.FORMAT)).containsExactly(3);
    }
  }

  /**
   * A replica written before stages (layout 1) opens with each live secret's latest version CURRENT
   * and nothing else staged, exactly what applying the same events would give now.
   */
  @Test
  void aLayoutOneReplicaIsMigratedInPlace(@TempDir Path own) throws Exception {
    VaultName vault = VaultName.of("v");
    try (Options options = new Options().setCreateIfMissing(true);
        RocksDB db = RocksDB.open(options, own.toString())) {
      db.put(KeyLayout.FORMAT, new byte[] {1});
      db.put(
          KeyLayout.vault(vault),
          ValueCodec.encodeVault(
              new ValueCodec.StoredVault(1, vaultCreated("v", 1).keys(), Instant.EPOCH)));
      for (long version = 1; version <= 2; version++) {
        var event = put("v", "live", version, version);
        db.put(
            KeyLayout.version(vault, SecretName.of("live"), version),
            ValueCodec.encodeVersion(
                new ValueCodec.StoredVersion(version, event.createdAt(), event.sealed())));
      }
      db.put(
          KeyLayout.secret(vault, SecretName.of("live")),
          metaV1(2, 0, 2, put("v", "live", 2, 2).createdAt()));
      db.put(KeyLayout.secret(vault, SecretName.of("gone")), metaV1(3, 3, 0, Instant.EPOCH));
      db.put(KeyLayout.APPLIED_POSITION, ValueCodec.encodePosition(new LogPosition(9, 0)));
    }

    try (RocksDbReplicaStore store = RocksDbReplicaStore.open(own)) {
      assertThat(store.stages(vault, SecretName.of("live"))).contains(new StageMap(2, 0, 0));
      assertThat(store.stages(vault, SecretName.of("gone"))).isEmpty();
      assertThat(store.appliedPosition()).isEqualTo(new LogPosition(9, 0));
      // Newer events still win over the migrated map, older ones do not.
      store.apply(
          List.of(
              at(10, 0, stagesChanged("v", "live", 3, new StageMap(1, 2, 0))),
              at(10, 1, stagesChanged("v", "live", 2, new StageMap(2, 0, 0)))));
      assertThat(store.stages(vault, SecretName.of("live"))).contains(new StageMap(1, 2, 0));
    }
    try (Options options = new Options();
        RocksDB db = RocksDB.open(options, own.toString())) {
      assertThat(db.get(KeyLayout.FORMAT)).containsExactly(2);
    }
  }

  private static byte[] metaV1(
      long latestEntityVersion, long tombstone, long latestVersion, Instant createdAt) {
    return ByteBuffer.allocate(36)
        .putLong(latestEntityVersion)
        .putLong(tombstone)
        .putLong(latestVersion)
        .putLong(createdAt.getEpochSecond())
        .putInt(createdAt.getNano())
        .array();
  }

  @Test
  void aClosedStoreRefusesCallsInsteadOfTouchingFreedMemory(@TempDir Path own) {
    RocksDbReplicaStore store = RocksDbReplicaStore.open(own);
    store.apply(List.of(at(1, 0, put("v", "s", 1, 1))));
    store.close();
    store.close();

    VaultName vault = VaultName.of("v");
    SecretName secret = SecretName.of("s");
    assertThatThrownBy(() -> store.latest(vault, secret)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> store.version(vault, secret, 1))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> store.vault(vault)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> store.list(vault, Optional.empty(), 10))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> store.apply(List.of(at(2, 0, put("v", "s", 2, 2)))))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(store::approximateSizeBytes).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void approximateSizeGrowsWithData(@TempDir Path own) {
    try (RocksDbReplicaStore store = RocksDbReplicaStore.open(own)) {
      long empty = store.approximateSizeBytes();
      store.apply(
          IntStream.rangeClosed(1, 100).mapToObj(i -> at(i, 0, put("v", "s" + i, 1, 1))).toList());
      assertThat(empty).isNotNegative();
      assertThat(store.approximateSizeBytes()).isGreaterThan(empty);
    }
  }

  /**
   * Every batch deletes the secret and puts its next version, so a reader that saw the delete
   * without the put, or metadata naming a version it then could not read, would find nothing.
   */
  @Test
  void readersConcurrentWithApplyNeverSeeHalfABatch(@TempDir Path own) throws Exception {
    VaultName vault = VaultName.of("v");
    SecretName secret = SecretName.of("s");
    try (RocksDbReplicaStore store = RocksDbReplicaStore.open(own)) {
      store.apply(List.of(at(1, 0, put("v", "s", 1, 1))));
      AtomicBoolean done = new AtomicBoolean();
      ExecutorService readers = Executors.newFixedThreadPool(3);
      try {
        List<Future<Long>> reads = new ArrayList<>();
        for (int r = 0; r < 3; r++) {
          reads.add(
              readers.submit(
                  () -> {
                    long seen = 0;
                    long lastVersion = 0;
                    // At least one round, however fast the writer finishes.
                    do {
                      SecretVersionRecord latest = store.latest(vault, secret).orElseThrow();
                      List<SecretMetadata> listed = store.list(vault, Optional.empty(), 10);
                      assertThat(listed).hasSize(1);
                      assertThat(latest.version()).isGreaterThanOrEqualTo(lastVersion);
                      assertThat(listed.get(0).latestVersion())
                          .isGreaterThanOrEqualTo(latest.version());
                      lastVersion = latest.version();
                      seen++;
                    } while (!done.get());
                    return seen;
                  }));
        }
        for (long n = 2; n <= 300; n++) {
          long deleteEv = 2 * n - 2;
          store.apply(
              List.of(
                  at(n, 0, deleted("v", "s", deleteEv)), at(n, 1, put("v", "s", deleteEv + 1, n))));
        }
        done.set(true);
        for (Future<Long> read : reads) {
          assertThat(read.get(30, TimeUnit.SECONDS)).isPositive();
        }
      } finally {
        done.set(true);
        readers.shutdownNow();
        assertThat(readers.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
      }
      assertThat(store.latest(vault, secret)).map(SecretVersionRecord::version).contains(300L);
      assertThat(store.version(vault, secret, 299)).isEmpty();
    }
  }

  private static ObservableState observe(ReplicaStore store) {
    return ObservableState.capture(
        store,
        List.of(VaultName.of("v")),
        IntStream.range(0, 20).mapToObj(i -> SecretName.of("s" + i)).toList(),
        12);
  }

  private static PositionedEvent at(long txId, long seq, ReplicationEvent event) {
    return new PositionedEvent(new LogPosition(txId, seq), event);
  }
}
