package dev.coffer.benchmark;

import dev.coffer.core.model.ShardId;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * P4: closed-loop writes to the vaults of one shard, then of every shard, and the ratio of the two
 * rates, both from the same run.
 */
final class WriteThroughputSteps {
  private final BenchmarkOptions options;
  private final ClusterProcesses roles;
  private final Http writes;
  private final String controlPlaneUrl;
  private final Workload workload;
  private final PrintStream progress;

  WriteThroughputSteps(
      BenchmarkOptions options,
      ClusterProcesses roles,
      Http writes,
      String controlPlaneUrl,
      Workload workload,
      PrintStream progress) {
    this.options = options;
    this.roles = roles;
    this.writes = writes;
    this.controlPlaneUrl = controlPlaneUrl;
    this.workload = workload;
    this.progress = progress;
  }

  Results.Throughput run() throws InterruptedException {
    Map<ShardId, List<Workload.Vault>> byShard = workload.byShard();
    ShardId firstShard = byShard.keySet().iterator().next();
    progress.printf(
        "P4 throughput: %d threads, %d s on %s, then %d s on all shards ...%n",
        options.throughputThreads,
        options.throughputSeconds,
        firstShard.value(),
        options.throughputSeconds);
    ThroughputPhase.Measured one = step(byShard.get(firstShard));
    ThroughputPhase.Measured all = step(workload.vaults());
    return new Results.Throughput(
        figures(List.of(firstShard), byShard.get(firstShard).size(), one),
        figures(workload.shards(), workload.vaults().size(), all),
        one.writesPerSecond() <= 0
            ? 0
            : Machine.round3(all.writesPerSecond() / one.writesPerSecond()));
  }

  private ThroughputPhase.Measured step(List<Workload.Vault> vaults) throws InterruptedException {
    return ThroughputPhase.run(
        roles,
        writes,
        controlPlaneUrl,
        workload,
        vaults,
        options.throughputThreads,
        Duration.ofSeconds(options.throughputSeconds));
  }

  private Results.Step figures(List<ShardId> shardIds, int vaults, ThroughputPhase.Measured m) {
    return new Results.Step(
        shardIds.stream().map(ShardId::value).toList(),
        vaults,
        options.throughputThreads,
        Machine.round3(m.seconds()),
        m.writes(),
        m.errors(),
        Machine.round3(m.writesPerSecond()),
        m.latency().summary(),
        m.usage(),
        Machine.cpuMsPer(m.usage(), m.writes()));
  }
}
