package dev.coffer.replication.accessor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.core.model.LogPosition;
import dev.coffer.core.storage.SecretReadAccessor;
import dev.coffer.replication.postgres.PostgresShardStore;
import dev.coffer.replication.postgres.ShardDatabase;

/** The remote accessor: a data-plane host reading the shard store directly. */
class ShardStoreReadAccessorIT extends SecretReadAccessorContract {
  private SecretReadAccessor remote;

  @Override
  protected SecretReadAccessor openAccessor(ShardDatabase database) {
    // A separate instance, as a data-plane host has its own.
    remote = new PostgresShardStore(database);
    return remote;
  }

  /** Every committed write is visible at once; the position must say so. */
  @Override
  protected void awaitIncludes(LogPosition position) {
    assertThat(remote.position().isAtLeast(position)).isTrue();
  }
}
