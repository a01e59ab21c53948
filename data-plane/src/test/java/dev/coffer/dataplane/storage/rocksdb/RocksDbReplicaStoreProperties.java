package dev.coffer.dataplane.storage.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.coffer.core.event.PositionedEvent;
import dev.coffer.core.event.ReplicationEvent;
import dev.coffer.core.storage.ReplicaStore;
import dev.coffer.testkit.storage.InMemoryReplicaStore;
import dev.coffer.testkit.storage.ObservableState;
import dev.coffer.testkit.storage.ReplicaHistories;
import dev.coffer.testkit.storage.ReplicaHistories.Op;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * RocksDB is observably the reference store: same deliveries, same reads, also after a reopen. Few
 * tries, because each opens a database and syncs every batch.
 */
class RocksDbReplicaStoreProperties {

  @Test
  void rocksDbAndTheReferenceAgreeOnEveryDelivery() {
    qt().withExamples(50)
        .withShrinkCycles(200)
        .forAll(ReplicaHistories.ops(30), longs().all())
        .checkAssert(RocksDbReplicaStoreProperties::agreeOnTheDelivery);
  }

  /** The seed drives the delivery: which events repeat, their order and the batch sizes. */
  private static void agreeOnTheDelivery(List<Op> history, long seed) {
    List<ReplicationEvent> events = ReplicaHistories.events(history);
    List<List<PositionedEvent>> delivery = ReplicaHistories.scrambled(events, new Random(seed));
    ReplicaStore reference = new InMemoryReplicaStore();
    ReplicaHistories.applyAll(reference, delivery);
    ObservableState expected = ReplicaHistories.observe(reference, events);

    Path directory = createTempDirectory();
    try {
      try (RocksDbReplicaStore store = RocksDbReplicaStore.open(directory)) {
        ReplicaHistories.applyAll(store, delivery);
        assertThat(ReplicaHistories.observe(store, events)).isEqualTo(expected);
        assertThat(store.appliedPosition()).isEqualTo(reference.appliedPosition());
      }
      try (RocksDbReplicaStore store = RocksDbReplicaStore.open(directory)) {
        assertThat(ReplicaHistories.observe(store, events)).isEqualTo(expected);
        assertThat(store.appliedPosition()).isEqualTo(reference.appliedPosition());
      }
    } finally {
      deleteRecursively(directory);
    }
  }

  private static Path createTempDirectory() {
    try {
      return Files.createTempDirectory("replica-property");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteRecursively(Path directory) {
    try (Stream<Path> paths = Files.walk(directory)) {
      paths
          .sorted(Comparator.reverseOrder())
          .forEach(
              path -> {
                try {
                  Files.delete(path);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
