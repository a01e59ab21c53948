package dev.coffer.replication.accessor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.core.event.PositionedEvent;
import dev.coffer.core.model.LogPosition;
import dev.coffer.core.storage.SecretReadAccessor;
import dev.coffer.replication.apply.ApplyListener;
import dev.coffer.replication.apply.ReplicationTailer;
import dev.coffer.replication.postgres.PostgresLogNotifications;
import dev.coffer.replication.postgres.PostgresLogReader;
import dev.coffer.replication.postgres.ShardDatabase;
import dev.coffer.testkit.storage.InMemoryReplicaStore;
import java.time.Duration;

/** The local accessor: a replica that a tailer keeps up to date from the shard's log. */
class TailedReplicaReadAccessorIT extends SecretReadAccessorContract {
  private InMemoryReplicaStore replica;
  private PostgresLogNotifications notifications;
  private ReplicationTailer<PositionedEvent> tailer;

  @Override
  protected SecretReadAccessor openAccessor(ShardDatabase database) {
    replica = new InMemoryReplicaStore();
    notifications = new PostgresLogNotifications(database);
    // Small batches, so that the longer histories arrive over several reads.
    tailer =
        new ReplicationTailer<>(
            "contract",
            new PostgresLogReader(database),
            replica,
            notifications,
            4,
            Duration.ofMillis(250),
            ApplyListener.NONE);
    tailer.start();
    return replica;
  }

  @Override
  protected void awaitIncludes(LogPosition position) {
    try {
      assertThat(tailer.awaitApplied(position, Duration.ofSeconds(10)))
          .as("replica applied %s", position)
          .isTrue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  @Override
  protected void closeAccessor() {
    tailer.close();
    notifications.close();
    replica.close();
  }
}
