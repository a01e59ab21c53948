package dev.coffer.dataplane.health;

import com.codahale.metrics.health.HealthCheck;
import dev.coffer.replication.apply.ReplicationTailer;

/**
 * Unhealthy until the replica has caught up with the log after start: a load balancer must not send
 * reads to a host that would answer from stale state.
 */
public final class ReplicaCaughtUpHealthCheck extends HealthCheck {
  private final ReplicationTailer<?> tailer;

  public ReplicaCaughtUpHealthCheck(ReplicationTailer<?> tailer) {
    this.tailer = tailer;
  }

  @Override
  protected Result check() {
    if (tailer.isCaughtUp()) {
      return Result.healthy("caught up at " + tailer.appliedPosition());
    }
    return Result.unhealthy("catching up; applied " + tailer.appliedPosition());
  }
}
