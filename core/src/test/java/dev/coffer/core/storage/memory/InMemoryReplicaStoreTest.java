package dev.coffer.core.storage.memory;

import dev.coffer.core.storage.ReplicaStore;
import dev.coffer.core.storage.ReplicaStoreContract;

class InMemoryReplicaStoreTest extends ReplicaStoreContract {
  @Override
  protected ReplicaStore newStore() {
    return new InMemoryReplicaStore();
  }
}
