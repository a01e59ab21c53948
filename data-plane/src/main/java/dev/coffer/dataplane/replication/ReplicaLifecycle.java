package dev.coffer.dataplane.replication;

import dev.coffer.core.storage.ReplicaStore;
import dev.coffer.replication.activation.PositionReporter;
import dev.coffer.replication.apply.LogWakeups;
import dev.coffer.replication.apply.ReplicationTailer;
import io.dropwizard.lifecycle.Managed;

/**
 * Starts and stops the replica's machinery in a fixed order: the host registers in its cell with
 * the position its replica holds, then tails; on stop the tailer ends before the store closes, so
 * no apply ever runs against a closed store.
 */
public final class ReplicaLifecycle implements Managed {
  private final ReplicaStore store;
  private final ReplicationTailer<?> tailer;
  private final LogWakeups wakeups;
  private final PositionReporter reporter;

  public ReplicaLifecycle(
      ReplicaStore store,
      ReplicationTailer<?> tailer,
      LogWakeups wakeups,
      PositionReporter reporter) {
    this.store = store;
    this.tailer = tailer;
    this.wakeups = wakeups;
    this.reporter = reporter;
  }

  @Override
  public void start() {
    reporter.register();
    tailer.start();
    reporter.start();
  }

  @Override
  public void stop() {
    reporter.close();
    tailer.close();
    wakeups.close();
    store.close();
  }
}
