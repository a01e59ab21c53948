package dev.coffer.testkit.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.coffer.core.event.ReplicationEvent;
import dev.coffer.core.model.VaultName;
import dev.coffer.core.storage.ReplicaStore;
import dev.coffer.testkit.storage.ReplicaHistories.Op;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * Apply is a merge: the state depends on which events arrived, not on their order, repetition or
 * batching. Checked on the reference store; persistent stores are checked against it elsewhere.
 */
class ReplicaStoreConvergenceProperties {

  @Test
  void anyDeliveryConvergesToTheInOrderState() {
    qt().withExamples(500)
        .forAll(histories(), longs().all())
        .checkAssert(ReplicaStoreConvergenceProperties::anyDeliveryConvergesToTheInOrderState);
  }

  /** The seed drives the delivery: which events repeat, their order and the batch sizes. */
  private static void anyDeliveryConvergesToTheInOrderState(List<Op> history, long seed) {
    Random random = new Random(seed);
    List<ReplicationEvent> events = ReplicaHistories.events(history);
    ReplicaStore expected = new InMemoryReplicaStore();
    ReplicaHistories.applyAll(expected, ReplicaHistories.inOrder(events));
    ReplicaStore actual = new InMemoryReplicaStore();
    ReplicaHistories.applyAll(actual, ReplicaHistories.scrambled(events, random));

    assertThat(ReplicaHistories.observe(actual, events))
        .isEqualTo(ReplicaHistories.observe(expected, events));
  }

  @Test
  void replayingADeliveryOnTopOfItselfChangesNothing() {
    qt().withExamples(200)
        .forAll(histories(), longs().all())
        .checkAssert(
            ReplicaStoreConvergenceProperties::replayingADeliveryOnTopOfItselfChangesNothing);
  }

  /** The seed drives the delivery: which events repeat, their order and the batch sizes. */
  private static void replayingADeliveryOnTopOfItselfChangesNothing(List<Op> history, long seed) {
    Random random = new Random(seed);
    List<ReplicationEvent> events = ReplicaHistories.events(history);
    ReplicaStore store = new InMemoryReplicaStore();
    ReplicaHistories.applyAll(store, ReplicaHistories.scrambled(events, random));
    ObservableState once = ReplicaHistories.observe(store, events);

    ReplicaHistories.applyAll(store, ReplicaHistories.scrambled(events, random));

    assertThat(ReplicaHistories.observe(store, events)).isEqualTo(once);
  }

  @Test
  void pagesConcatenateToTheWholeList() {
    qt().withExamples(200)
        .forAll(histories(), longs().all())
        .checkAssert(ReplicaStoreConvergenceProperties::pagesConcatenateToTheWholeList);
  }

  /** The seed drives the delivery: which events repeat, their order and the batch sizes. */
  private static void pagesConcatenateToTheWholeList(List<Op> history, long seed) {
    Random random = new Random(seed);
    List<ReplicationEvent> events = ReplicaHistories.events(history);
    ReplicaStore store = new InMemoryReplicaStore();
    ReplicaHistories.applyAll(store, ReplicaHistories.scrambled(events, random));

    for (String vault : ReplicaHistories.VAULTS) {
      VaultName name = VaultName.of(vault);
      assertThat(ObservableState.listInPages(store, name, 1))
          .isEqualTo(store.list(name, Optional.empty(), 1000));
    }
  }

  private static Gen<List<Op>> histories() {
    return ReplicaHistories.ops(30);
  }
}
