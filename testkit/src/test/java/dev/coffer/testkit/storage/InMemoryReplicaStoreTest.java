package dev.coffer.testkit.storage;

import dev.coffer.core.storage.ReplicaStore;

class InMemoryReplicaStoreTest extends ReplicaStoreContract {
  @Override
  protected ReplicaStore newStore() {
    return new InMemoryReplicaStore();
  }
}
