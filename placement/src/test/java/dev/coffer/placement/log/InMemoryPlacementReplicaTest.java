package dev.coffer.placement.log;

class InMemoryPlacementReplicaTest extends PlacementReplicaContract {
  @Override
  protected PlacementReplica newReplica() {
    return new InMemoryPlacementReplica();
  }
}
