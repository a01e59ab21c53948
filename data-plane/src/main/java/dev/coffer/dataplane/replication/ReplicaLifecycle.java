package dev.coffer.dataplane.replication;

import dev.coffer.core.storage.ReplicaStore;
import dev.coffer.replication.apply.LogWakeups;
import dev.coffer.replication.apply.ReplicationTailer;
import io.dropwizard.lifecycle.Managed;

/**
 * Opens and closes the replica in a fixed order: the store is open before the tailer starts and the
 * tailer has stopped before the store closes, so no apply ever runs against a closed store.
 */
public final class ReplicaLifecycle implements Managed {
  private final ReplicaStore store;
  private final ReplicationTailer tailer;
  private final LogWakeups wakeups;

  public ReplicaLifecycle(ReplicaStore store, ReplicationTailer tailer, LogWakeups wakeups) {
    this.store = store;
    this.tailer = tailer;
    this.wakeups = wakeups;
  }

  @Override
  public void start() {
    tailer.start();
  }

  @Override
  public void stop() {
    tailer.close();
    wakeups.close();
    store.close();
  }
}
