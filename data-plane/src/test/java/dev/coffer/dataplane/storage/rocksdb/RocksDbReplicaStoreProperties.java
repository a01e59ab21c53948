package dev.coffer.dataplane.storage.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.core.event.PositionedEvent;
import dev.coffer.core.event.ReplicationEvent;
import dev.coffer.core.storage.ObservableState;
import dev.coffer.core.storage.ReplicaHistories;
import dev.coffer.core.storage.ReplicaHistories.Op;
import dev.coffer.core.storage.ReplicaStore;
import dev.coffer.core.storage.memory.InMemoryReplicaStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * RocksDB is observably the reference store: same deliveries, same reads, also after a reopen. Few
 * tries, because each opens a database and syncs every batch.
 */
class RocksDbReplicaStoreProperties {

  @Property(tries = 50)
  void rocksDbAndTheReferenceAgreeOnEveryDelivery(
      @ForAll("histories") List<Op> history, @ForAll Random random) throws IOException {
    List<ReplicationEvent> events = ReplicaHistories.events(history);
    List<List<PositionedEvent>> delivery = ReplicaHistories.scrambled(events, random);
    ReplicaStore reference = new InMemoryReplicaStore();
    ReplicaHistories.applyAll(reference, delivery);
    ObservableState expected = ReplicaHistories.observe(reference, events);

    Path directory = Files.createTempDirectory("replica-property");
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

  @Provide
  Arbitrary<List<Op>> histories() {
    return ReplicaHistories.ops(30);
  }

  private static void deleteRecursively(Path directory) throws IOException {
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
    }
  }
}
