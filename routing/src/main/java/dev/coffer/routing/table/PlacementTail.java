package dev.coffer.routing.table;

import dev.coffer.replication.apply.LogWakeups;
import dev.coffer.replication.apply.ReplicationTailer;
import io.dropwizard.lifecycle.Managed;

/**
 * Runs the tailer that keeps the router's placements in step with the base store's log. Starting
 * does not wait for the first read: the routing-data health check says when the copy has caught up,
 * and a vault not yet known is a 404 until then.
 */
public final class PlacementTail implements Managed {
  private final ReplicationTailer<?> tailer;
  private final LogWakeups wakeups;

  public PlacementTail(ReplicationTailer<?> tailer, LogWakeups wakeups) {
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
  }
}
