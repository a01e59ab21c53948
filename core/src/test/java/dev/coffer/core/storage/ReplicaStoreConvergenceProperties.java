package dev.coffer.core.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.core.event.ReplicationEvent;
import dev.coffer.core.model.VaultName;
import dev.coffer.core.storage.ReplicaHistories.Op;
import dev.coffer.core.storage.memory.InMemoryReplicaStore;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Apply is a merge: the state depends on which events arrived, not on their order, repetition or
 * batching. Checked on the reference store; persistent stores are checked against it elsewhere.
 */
class ReplicaStoreConvergenceProperties {

  @Property(tries = 500)
  void anyDeliveryConvergesToTheInOrderState(
      @ForAll("histories") List<Op> history, @ForAll Random random) {
    List<ReplicationEvent> events = ReplicaHistories.events(history);
    ReplicaStore expected = new InMemoryReplicaStore();
    ReplicaHistories.applyAll(expected, ReplicaHistories.inOrder(events));
    ReplicaStore actual = new InMemoryReplicaStore();
    ReplicaHistories.applyAll(actual, ReplicaHistories.scrambled(events, random));

    assertThat(ReplicaHistories.observe(actual, events))
        .isEqualTo(ReplicaHistories.observe(expected, events));
  }

  @Property(tries = 200)
  void replayingADeliveryOnTopOfItselfChangesNothing(
      @ForAll("histories") List<Op> history, @ForAll Random random) {
    List<ReplicationEvent> events = ReplicaHistories.events(history);
    ReplicaStore store = new InMemoryReplicaStore();
    ReplicaHistories.applyAll(store, ReplicaHistories.scrambled(events, random));
    ObservableState once = ReplicaHistories.observe(store, events);

    ReplicaHistories.applyAll(store, ReplicaHistories.scrambled(events, random));

    assertThat(ReplicaHistories.observe(store, events)).isEqualTo(once);
  }

  @Property(tries = 200)
  void pagesConcatenateToTheWholeList(
      @ForAll("histories") List<Op> history, @ForAll Random random) {
    List<ReplicationEvent> events = ReplicaHistories.events(history);
    ReplicaStore store = new InMemoryReplicaStore();
    ReplicaHistories.applyAll(store, ReplicaHistories.scrambled(events, random));

    for (String vault : ReplicaHistories.VAULTS) {
      VaultName name = VaultName.of(vault);
      assertThat(ObservableState.listInPages(store, name, 1))
          .isEqualTo(store.list(name, Optional.empty(), 1000));
    }
  }

  @Provide
  Arbitrary<List<Op>> histories() {
    return ReplicaHistories.ops(30);
  }
}
