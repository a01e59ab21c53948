package dev.coffer.benchmark;

import dev.coffer.core.model.ShardId;
import dev.coffer.dataplane.DataPlaneConfiguration.ReadAccessor;
import dev.coffer.dataplane.read.ServedFrom;
import dev.coffer.deployment.LocalCluster;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * P1: the same open-loop reads through a host with the local accessor and a host of the same shard
 * with the remote accessor, each warmed up at the rate first, and the goal judged on their p50s.
 */
final class ReadLatencyComparison {
  static final double GOAL_RATIO = 0.10;

  /** The figures, and both runs' latencies for the plot. */
  record Outcome(
      Results.ReadLatency figures,
      ReadLatencyPhase.Measured local,
      ReadLatencyPhase.Measured remote) {}

  private final BenchmarkOptions options;
  private final ClusterProcesses roles;
  private final Http reads;
  private final ServerMetrics metrics;
  private final PrintStream progress;

  ReadLatencyComparison(
      BenchmarkOptions options,
      ClusterProcesses roles,
      Http reads,
      ServerMetrics metrics,
      PrintStream progress) {
    this.options = options;
    this.roles = roles;
    this.reads = reads;
    this.metrics = metrics;
    this.progress = progress;
  }

  /** Starts the remote-accessor host on {@code shard} and reads {@code paths} through both. */
  Outcome run(LocalCluster cluster, ShardId shard, List<String> paths) throws InterruptedException {
    LocalCluster.Host localHost = cluster.hostsOf(shard).get(0);
    progress.printf("Starting a remote-accessor host on %s ...%n", shard.value());
    LocalCluster.Host remoteHost =
        cluster.startExtraHost(shard, shard.value() + "-remote", ReadAccessor.REMOTE);
    ReadLatencyPhase.Measured local = measure(localHost, ReadAccessor.LOCAL, paths);
    Results.ServerTime localServer = metrics.serverTime(localHost.adminPort());
    ReadLatencyPhase.Measured remote = measure(remoteHost, ReadAccessor.REMOTE, paths);
    Results.ServerTime remoteServer = metrics.serverTime(remoteHost.adminPort());
    return new Outcome(
        figures(shard, paths.size(), readRun(local, localServer), readRun(remote, remoteServer)),
        local,
        remote);
  }

  private ReadLatencyPhase.Measured measure(
      LocalCluster.Host host, ReadAccessor accessor, List<String> paths)
      throws InterruptedException {
    String servedFrom = servedFrom(accessor).header();
    if (options.readWarmupSeconds > 0) {
      progress.printf(
          "P1 warm-up: %d s of reads at %s/s on %s ...%n",
          options.readWarmupSeconds, Numbers.plain(options.readRate), host.id());
      read(host, servedFrom, paths, options.readWarmupSeconds);
    }
    progress.printf(
        "P1 read latency: %d s at %s reads/s on %s (%s accessor) ...%n",
        options.readSeconds, Numbers.plain(options.readRate), host.id(), servedFrom);
    return read(host, servedFrom, paths, options.readSeconds);
  }

  /** The store every answer of a host with {@code accessor} should come from. */
  private static ServedFrom servedFrom(ReadAccessor accessor) {
    return switch (accessor) {
      case LOCAL -> ServedFrom.LOCAL;
      case REMOTE -> ServedFrom.REMOTE;
    };
  }

  private ReadLatencyPhase.Measured read(
      LocalCluster.Host host, String servedFrom, List<String> paths, int seconds)
      throws InterruptedException {
    return ReadLatencyPhase.run(
        roles,
        reads,
        host.id(),
        host.url(),
        servedFrom,
        paths,
        options.readRate,
        Duration.ofSeconds(seconds),
        options.readers);
  }

  private Results.ReadLatency figures(
      ShardId shard, int secretsOnShard, Results.ReadRun l, Results.ReadRun r) {
    double p50Ratio =
        r.latency().p50() <= 0 ? 0 : Machine.round3(l.latency().p50() / r.latency().p50());
    double p99Ratio =
        r.latency().p99() <= 0 ? 0 : Machine.round3(l.latency().p99() / r.latency().p99());
    return new Results.ReadLatency(
        shard.value(),
        secretsOnShard,
        options.readRate,
        options.readSeconds,
        options.readWarmupSeconds,
        options.readers,
        l,
        r,
        p50Ratio,
        p99Ratio,
        GOAL_RATIO,
        valid(l) && valid(r) && p50Ratio <= GOAL_RATIO,
        verdict(l, r, p50Ratio));
  }

  private String verdict(Results.ReadRun local, Results.ReadRun remote, double p50Ratio) {
    for (Results.ReadRun run : List.of(local, remote)) {
      if (!valid(run)) {
        return String.format(
            Locale.ROOT,
            "not judged: the %s accessor did not sustain %s reads/s (achieved %.1f/s, %d errors,"
                + " %d not sent, %d not from its store), so its latencies are a queue's",
            run.accessor(),
            Numbers.plain(options.readRate),
            run.achievedRate(),
            run.errors(),
            run.notSent(),
            run.notServedAsExpected());
      }
    }
    return p50Ratio <= GOAL_RATIO ? "met" : "not met";
  }

  /**
   * A run that did not sustain the rate without errors, or was not served by the accessor it is
   * meant to measure, cannot judge the goal: its latencies are those of a queue.
   */
  private boolean valid(Results.ReadRun run) {
    return run.reads() > 0
        && run.errors() == 0
        && run.notSent() == 0
        && run.notServedAsExpected() == 0
        && run.achievedRate() >= 0.95 * options.readRate;
  }

  private static Results.ReadRun readRun(ReadLatencyPhase.Measured m, Results.ServerTime server) {
    return new Results.ReadRun(
        m.host(),
        m.accessor(),
        Machine.round3(m.achievedRate()),
        m.reads(),
        m.errors(),
        m.notServedAsExpected(),
        m.notSent(),
        m.latency().summary(),
        m.serviceTime().summary(),
        m.usage(),
        Machine.clientShare(m.usage()),
        server);
  }
}
