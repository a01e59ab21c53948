package dev.coffer.testkit.storage;

import dev.coffer.core.event.PositionedEvent;
import dev.coffer.core.model.LogPosition;
import dev.coffer.core.model.SecretMetadata;
import dev.coffer.core.model.SecretName;
import dev.coffer.core.model.SecretVersionRecord;
import dev.coffer.core.model.StageMap;
import dev.coffer.core.model.VaultName;
import dev.coffer.core.model.VaultRecord;
import dev.coffer.core.storage.ReplicaStore;
import dev.coffer.core.storage.SecretReadAccessor;
import java.util.List;
import java.util.Optional;

/**
 * Presents any read accessor (the shard store, typically) as a read-only {@link ReplicaStore}, so
 * that {@link ObservableState} can capture it and compare it with a real replica.
 */
public final class AccessorAsReplica implements ReplicaStore {
  private final SecretReadAccessor accessor;

  public AccessorAsReplica(SecretReadAccessor accessor) {
    this.accessor = accessor;
  }

  @Override
  public void apply(List<PositionedEvent> batch) {
    throw new UnsupportedOperationException("read-only view");
  }

  @Override
  public LogPosition appliedPosition() {
    return accessor.position();
  }

  @Override
  public Optional<VaultRecord> vault(VaultName vault) {
    return accessor.vault(vault);
  }

  @Override
  public Optional<SecretVersionRecord> latest(VaultName vault, SecretName secret) {
    return accessor.latest(vault, secret);
  }

  @Override
  public Optional<StageMap> stages(VaultName vault, SecretName secret) {
    return accessor.stages(vault, secret);
  }

  @Override
  public Optional<SecretVersionRecord> version(VaultName vault, SecretName secret, long version) {
    return accessor.version(vault, secret, version);
  }

  @Override
  public List<SecretMetadata> list(VaultName vault, Optional<SecretName> after, int limit) {
    return accessor.list(vault, after, limit);
  }

  @Override
  public void close() {}
}
