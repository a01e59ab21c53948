package dev.coffer.controlplane.health;

import com.codahale.metrics.health.HealthCheck;

/** Healthy while a database answers a trivial query. */
public final class DatabaseHealthCheck extends HealthCheck {
  private final Runnable ping;

  public DatabaseHealthCheck(Runnable ping) {
    this.ping = ping;
  }

  @Override
  protected Result check() {
    try {
      ping.run();
      return Result.healthy();
    } catch (RuntimeException e) {
      return Result.unhealthy("the database does not answer");
    }
  }
}
