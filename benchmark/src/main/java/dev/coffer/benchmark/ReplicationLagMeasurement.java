package dev.coffer.benchmark;

import dev.coffer.core.model.ShardId;
import dev.coffer.deployment.LocalCluster;
import java.io.PrintStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * P3: after a warm-up, writes at a fixed rate with the apply probes, and what the servers did
 * meanwhile: the hosts' own apply-lag histograms, each server's garbage collections and
 * PostgreSQL's maintenance on the shards.
 */
final class ReplicationLagMeasurement {
  static final double TARGET_P99_MS = 50;

  /** The phase's raw figures and what the servers said about it. */
  record Outcome(
      ReplicationLagPhase.Measured lag,
      List<Results.HostApplyLag> hostLag,
      List<Results.Collections> collections,
      List<Results.Maintenance> maintenance) {}

  private final BenchmarkOptions options;
  private final LocalCluster cluster;
  private final ClusterProcesses roles;
  private final Workload workload;
  private final Http writes;
  private final Http probes;
  private final ServerMetrics metrics;
  private final PrintStream progress;

  ReplicationLagMeasurement(
      BenchmarkOptions options,
      LocalCluster cluster,
      ClusterProcesses roles,
      Workload workload,
      Http writes,
      Http probes,
      ServerMetrics metrics,
      PrintStream progress) {
    this.options = options;
    this.cluster = cluster;
    this.roles = roles;
    this.workload = workload;
    this.writes = writes;
    this.probes = probes;
    this.metrics = metrics;
    this.progress = progress;
  }

  Outcome run() throws InterruptedException {
    if (options.warmupSeconds > 0) {
      warmUp();
    }
    progress.printf(
        "P3 replication lag: %d s at %s writes/s, probe %s ...%n",
        options.durationSeconds, Numbers.plain(options.writeRate), options.probe);
    List<Results.Collections> collectionsBefore = metrics.collections();
    ShardMaintenance maintenance =
        ShardMaintenance.begin(cluster, workload.shards().stream().map(ShardId::value).toList());
    ReplicationLagPhase.Measured lag =
        new ReplicationLagPhase(
                cluster,
                workload,
                writes,
                probes,
                options.lagConfig(Duration.ofSeconds(options.durationSeconds)))
            .run();
    // Read at once: the hosts' histograms keep one minute, which should be this phase.
    List<Results.HostApplyLag> hostLag = metrics.hostApplyLag();
    List<Results.Collections> collections =
        ServerMetrics.collectionsSince(collectionsBefore, metrics.collections());
    return new Outcome(lag, hostLag, collections, maintenance.since());
  }

  /**
   * First half closed loop: as many writes as the deployment can take, so that the servers' JIT
   * compiles the write and apply paths soon; at 50 writes/s, 10 s of the target rate alone left the
   * first seconds of the measurement visibly slower. Then the target rate with the probes, so that
   * their read path is compiled too.
   */
  private void warmUp() throws InterruptedException {
    Duration burst = Duration.ofMillis(options.warmupSeconds * 500L);
    Duration steady = Duration.ofSeconds(options.warmupSeconds).minus(burst);
    progress.printf(
        "Warm-up: %.1f s closed loop, then %.1f s at %s writes/s ...%n",
        burst.toMillis() / 1e3, steady.toMillis() / 1e3, Numbers.plain(options.writeRate));
    if (burst.toMillis() >= 1000) {
      ThroughputPhase.run(
          roles,
          writes,
          cluster.controlPlaneUrl(),
          workload,
          workload.vaults(),
          options.throughputThreads,
          burst);
    }
    new ReplicationLagPhase(
            cluster,
            workload,
            writes,
            probes,
            options.lagConfig(
                burst.toMillis() >= 1000 ? steady : Duration.ofSeconds(options.warmupSeconds)))
        .run();
  }

  /**
   * The phase's figures. Taken after P4, as they always were: a probe answered after the phase's
   * drain still counts.
   */
  Results.Replication figures(Outcome outcome) {
    ReplicationLagPhase.Measured m = outcome.lag();
    int shardCount = workload.shards().size();
    double achieved = m.seconds <= 0 ? 0 : (m.writes.get() + m.writeErrors.get()) / m.seconds;
    Map<String, Latencies.Summary> byHost = new LinkedHashMap<>();
    synchronized (m) {
      m.commitToAppliedByHost.forEach((host, latencies) -> byHost.put(host, latencies.summary()));
    }
    Latencies.Summary all = m.appendToAllApplied.summary();
    return new Results.Replication(
        options.writeRate,
        Machine.round3(achieved),
        Machine.round3(achieved / shardCount),
        m.seconds,
        options.warmupSeconds,
        options.writers,
        m.writes.get(),
        m.writeErrors.get(),
        m.writesNotSent.get(),
        probe(m),
        all,
        m.appendToEachHostApplied.summary(),
        m.appendUntimed.get(),
        m.applyTimesFailures,
        m.commitToAllApplied.summary(),
        m.commitToEachHostApplied.summary(),
        byHost,
        m.intendedToAllApplied.summary(),
        m.writeLatency.summary(),
        m.writeServiceTime.summary(),
        m.commitToActive.summary(),
        outcome.hostLag(),
        outcome.collections(),
        outcome.maintenance(),
        TARGET_P99_MS,
        all.count() > 0
            && all.p99() <= TARGET_P99_MS
            && m.writeErrors.get() == 0
            && m.writesNotSent.get() == 0
            && achieved >= 0.95 * options.writeRate,
        m.usage,
        Machine.cpuMsPer(m.usage, m.writes.get()));
  }

  private Results.Probe probe(ReplicationLagPhase.Measured m) {
    return new Results.Probe(
        options.probe.toString(),
        options.probeEvery,
        options.pollIntervalMs,
        m.probedWrites.get(),
        m.probeUnresolved.get(),
        m.probeRequests.get(),
        Machine.round3(m.probeRequests.get() / Math.max(m.seconds, 1e-9)),
        m.probeRemoteAnswers.get(),
        m.probeErrors.get(),
        new TreeMap<>(m.probeErrorKinds()),
        options.activeEvery,
        options.activePollIntervalMs,
        m.activeProbedWrites.get(),
        m.activeUnresolved.get(),
        m.activeRequests.get());
  }
}
