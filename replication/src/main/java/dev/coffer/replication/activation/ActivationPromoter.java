package dev.coffer.replication.activation;

import dev.coffer.core.model.LogPosition;
import dev.coffer.core.storage.CellMembership;
import dev.coffer.replication.apply.LogWakeups;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The control plane's side of activation for one shard: whenever a host reports a new position (a
 * notification) or the interval passes, promote every PENDING version that every member has
 * applied.
 */
public final class ActivationPromoter extends BackgroundLoop {
  /**
   * Every host reports after every applied batch, so at a few hundred writes per second a promoter
   * woken per report would run a transaction per report; waiting this long after each round lets
   * one round serve every report that arrived meanwhile, at the cost of at most this much ACTIVE
   * latency.
   */
  static final Duration MINIMUM_GAP = Duration.ofMillis(25);

  private final CellMembership cell;
  private final AtomicLong promoted = new AtomicLong();
  private final AtomicReference<LogPosition> activatedUpTo =
      new AtomicReference<>(LogPosition.ZERO);

  public ActivationPromoter(
      String shard, CellMembership cell, LogWakeups hostReports, Duration interval) {
    super("activation-promoter-" + shard, hostReports, interval, MINIMUM_GAP);
    this.cell = cell;
  }

  @Override
  void step() {
    CellMembership.Promotion promotion = cell.promote();
    promoted.addAndGet(promotion.promotedVersions());
    activatedUpTo.set(promotion.activatedUpTo());
  }

  public long promotedVersions() {
    return promoted.get();
  }

  public LogPosition activatedUpTo() {
    return activatedUpTo.get();
  }
}
