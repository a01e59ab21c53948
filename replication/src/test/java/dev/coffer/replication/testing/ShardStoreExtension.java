package dev.coffer.replication.testing;

import dev.coffer.replication.postgres.ShardDatabase;
import dev.coffer.testkit.database.DatabaseExtension;

/**
 * A shard store for an integration test: the kit's {@link DatabaseExtension} bound to the shard
 * schema, which is replication's and so cannot be named by the kit. Register it as a static field
 * with {@code @RegisterExtension}; {@link #database()} is the running test's migrated shard.
 */
public final class ShardStoreExtension extends DatabaseExtension<ShardDatabase> {
  public ShardStoreExtension() {
    super(ShardDatabase::migrate);
  }
}
