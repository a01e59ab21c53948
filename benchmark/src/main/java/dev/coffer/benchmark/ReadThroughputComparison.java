package dev.coffer.benchmark;

import dev.coffer.deployment.LocalCluster;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * P2: closed-loop reads of a host's replica against a bare endpoint on the same server stack, at
 * the same concurrency, both warmed up before either is measured; the goal is judged on the ratio
 * and the host's own rate.
 */
final class ReadThroughputComparison {
  static final double GOAL_RATIO = 0.5;
  static final double GOAL_READS_PER_SECOND = 10_000;

  private final BenchmarkOptions options;
  private final ClusterProcesses roles;
  private final Http http;
  private final List<String> jvm;
  private final PrintStream progress;

  ReadThroughputComparison(
      BenchmarkOptions options,
      ClusterProcesses roles,
      Http http,
      List<String> jvm,
      PrintStream progress) {
    this.options = options;
    this.roles = roles;
    this.http = http;
    this.jvm = jvm;
    this.progress = progress;
  }

  Results.ReadThroughput run(LocalCluster cluster, LocalCluster.Host host, List<String> paths)
      throws IOException, InterruptedException {
    Optional<Path> wrk =
        options.loadGenerator == ReadThroughputPhase.LoadGenerator.JAVA
            ? Optional.empty()
            : ReadThroughputPhase.findWrk();
    if (options.loadGenerator == ReadThroughputPhase.LoadGenerator.WRK && wrk.isEmpty()) {
      throw new IllegalStateException("--load-generator wrk, but wrk is not on the PATH");
    }
    String note = generatorNote(wrk.isPresent());
    progress.printf("P2 read throughput: load from %s ...%n", note);
    Path scratch = cluster.directory().resolve("wrk");
    if (wrk.isPresent()) {
      ReadThroughputPhase.writeWrkFiles(scratch, paths);
    }
    Results.ThroughputRun coffer;
    Results.ThroughputRun bare;
    try (BareEndpoint endpoint =
        BareEndpoint.start(cluster.directory(), cluster.adminToken(), options.secretBytes, jvm)) {
      ClusterProcesses withBare = roles.with(ClusterProcesses.BARE_ENDPOINT, endpoint.pid());
      ClosedLoop load = new ClosedLoop(withBare, wrk, scratch, paths);
      String bareName = "bare endpoint";
      String cofferName = host.id() + " (local accessor)";
      // Both warmed before either is measured: the bare endpoint is a fresh JVM, while the host
      // has already served P1, and a JIT still compiling would make the bare figure the lower.
      if (options.readThroughputWarmup > 0) {
        for (String[] t : new String[][] {{bareName, endpoint.url()}, {cofferName, host.url()}}) {
          progress.printf("  warm-up %d s against %s ...%n", options.readThroughputWarmup, t[0]);
          load.run(t[0], t[1], options.readThroughputWarmup);
        }
      }
      progress.printf("  measuring %d s against %s ...%n", options.readThroughputSeconds, bareName);
      bare = throughputRun(load.run(bareName, endpoint.url(), options.readThroughputSeconds));
      progress.printf(
          "  measuring %d s against %s ...%n", options.readThroughputSeconds, cofferName);
      coffer = throughputRun(load.run(cofferName, host.url(), options.readThroughputSeconds));
    }
    double ratio =
        bare.requestsPerSecond() <= 0
            ? 0
            : Machine.round3(coffer.requestsPerSecond() / bare.requestsPerSecond());
    return new Results.ReadThroughput(
        wrk.isPresent() ? ReadThroughputPhase.WRK : ReadThroughputPhase.JAVA,
        note,
        options.connections,
        options.readThroughputSeconds,
        options.readThroughputWarmup,
        coffer,
        bare,
        ratio,
        GOAL_RATIO,
        GOAL_READS_PER_SECOND,
        coffer.errors() == 0
            && ratio >= GOAL_RATIO
            && coffer.requestsPerSecond() >= GOAL_READS_PER_SECOND);
  }

  private String generatorNote(boolean wrk) {
    if (wrk) {
      return "wrk (C, event loop; " + Math.min(2, options.connections) + " threads)";
    }
    return options.loadGenerator == ReadThroughputPhase.LoadGenerator.JAVA
        ? "Java closed-loop threads, as asked (--load-generator java)"
        : "Java closed-loop threads: wrk is not installed, so this client costs more CPU"
            + " per request and the figures are lower than wrk's would be";
  }

  /** One target's closed-loop load, from wrk when there is one, else from Java threads. */
  private final class ClosedLoop {
    private final ClusterProcesses roles;
    private final Optional<Path> wrk;
    private final Path scratch;
    private final List<String> paths;

    ClosedLoop(ClusterProcesses roles, Optional<Path> wrk, Path scratch, List<String> paths) {
      this.roles = roles;
      this.wrk = wrk;
      this.scratch = scratch;
      this.paths = paths;
    }

    ReadThroughputPhase.Measured run(String target, String url, int seconds)
        throws IOException, InterruptedException {
      Duration duration = Duration.ofSeconds(seconds);
      return wrk.isPresent()
          ? ReadThroughputPhase.wrk(
              roles, wrk.get(), scratch, http.token(), target, url, options.connections, duration)
          : ReadThroughputPhase.java(
              roles, http, target, url, paths, options.connections, duration);
    }
  }

  private static Results.ThroughputRun throughputRun(ReadThroughputPhase.Measured m) {
    return new Results.ThroughputRun(
        m.target(),
        m.requests(),
        m.errors(),
        m.requestsPerSecond(),
        m.latency(),
        m.usage(),
        Machine.clientShare(m.usage()));
  }
}
