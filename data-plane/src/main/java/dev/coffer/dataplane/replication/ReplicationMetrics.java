package dev.coffer.dataplane.replication;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.Histogram;
import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.SlidingTimeWindowArrayReservoir;
import dev.coffer.core.event.PositionedEvent;
import dev.coffer.replication.apply.ApplyListener;
import dev.coffer.replication.apply.ReplicationTailer;
import dev.coffer.replication.postgres.PostgresLogReader;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Replication metrics of one host, named by shard so that a dashboard can compare cells. */
public final class ReplicationMetrics implements ApplyListener<PositionedEvent> {
  private final MetricRegistry registry;
  private final String prefix;
  private final Meter applied;
  private final Histogram lagMillis;

  public ReplicationMetrics(MetricRegistry registry, String shard) {
    this.registry = registry;
    this.prefix = MetricRegistry.name("coffer", "replication", shard);
    this.applied = registry.meter(MetricRegistry.name(prefix, "applied-events"));
    this.lagMillis =
        registry.register(
            MetricRegistry.name(prefix, "apply-lag-ms"),
            new Histogram(new SlidingTimeWindowArrayReservoir(1, TimeUnit.MINUTES)));
  }

  /** Reports the tailer's state as gauges. */
  public void watch(ReplicationTailer<?> tailer) {
    registry.register(
        MetricRegistry.name(prefix, "applied-position-txid"),
        (Gauge<Long>) () -> tailer.appliedPosition().txId());
    registry.register(
        MetricRegistry.name(prefix, "caught-up"), (Gauge<Boolean>) tailer::isCaughtUp);
    registry.register(MetricRegistry.name(prefix, "read-failures"), (Gauge<Long>) tailer::failures);
    registry.register(
        MetricRegistry.name(prefix, "held-back-reads"), (Gauge<Long>) tailer::heldBackReads);
  }

  /**
   * Reads that found events held back on the server's horizon and asked for the log writers' own:
   * many of them while held-back-reads stays flat means a transaction that is no log writer holds
   * an old id on the shard's server (worth finding; it no longer delays replication).
   */
  public void watch(PostgresLogReader reader) {
    registry.register(
        MetricRegistry.name(prefix, "writers-horizon-reads"),
        (Gauge<Long>) reader::writersHorizonReads);
  }

  /** Lag is append time (in the store's clock) to apply time (in ours): same machine in tests. */
  @Override
  public void applied(List<? extends PositionedEvent> batch, Instant appliedAt) {
    applied.mark(batch.size());
    for (PositionedEvent event : batch) {
      if (!event.appendedAt().equals(Instant.EPOCH)) {
        lagMillis.update(Math.max(0, Duration.between(event.appendedAt(), appliedAt).toMillis()));
      }
    }
  }
}
