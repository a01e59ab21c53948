package dev.coffer.core.event;

import dev.coffer.core.model.VaultName;

/**
 * One entry of a shard's replication log: the full new state of one entity, or its tombstone. The
 * entity version increases with every mutation of that entity, which is what makes apply idempotent
 * and order-insensitive per entity.
 */
public sealed interface ReplicationEvent
    permits VaultCreated, SecretVersionPut, SecretStagesChanged, SecretDeleted {
  VaultName vault();

  long entityVersion();

  /** The entity this event is about, for logs and metrics: never contains secret material. */
  String entity();
}
