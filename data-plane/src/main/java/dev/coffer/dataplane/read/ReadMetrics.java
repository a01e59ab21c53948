package dev.coffer.dataplane.read;

import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import dev.coffer.core.model.ShardId;

/**
 * Where a host's reads were answered, and why any went to the shard store: a rising fallback rate
 * means a lagging replica or clients asking for what does not exist, and both load the shard's
 * database.
 */
public final class ReadMetrics {
  final Meter servedLocal;
  final Meter servedRemote;
  final Meter missingLocally;
  final Meter tokenWaitExpired;
  final Meter tokenAppliedDuringWait;
  final Meter remoteUnavailable;

  public ReadMetrics(MetricRegistry registry, ShardId shard) {
    String prefix = MetricRegistry.name("coffer", "reads", shard.value());
    servedLocal = registry.meter(MetricRegistry.name(prefix, "served", "local"));
    servedRemote = registry.meter(MetricRegistry.name(prefix, "served", "remote"));
    missingLocally = registry.meter(MetricRegistry.name(prefix, "fallback", "missing-locally"));
    tokenWaitExpired =
        registry.meter(MetricRegistry.name(prefix, "fallback", "token-wait-expired"));
    tokenAppliedDuringWait =
        registry.meter(MetricRegistry.name(prefix, "token", "applied-during-wait"));
    remoteUnavailable =
        registry.meter(MetricRegistry.name(prefix, "fallback", "remote-unavailable"));
  }
}
