package dev.coffer.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.coffer.benchmark.micro.MicroBenchmarks;
import dev.coffer.core.model.ShardId;
import dev.coffer.deployment.LocalCluster;
import dev.coffer.deployment.ServiceProcess;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * Starts a real local deployment, loads a data set, measures read latency local vs remote (P1),
 * read throughput against a bare endpoint (P2), replication lag (P3), write throughput (P4) and
 * memory, runs the microbenchmarks, and writes {@code results.md}, {@code results.json}, {@code
 * read-latency.svg}, {@code replication-lag.svg} and {@code micro.json}.
 */
@Command(
    name = "benchmark/run",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Starts a local Coffer deployment (PostgreSQL, control plane, data-plane hosts as separate"
          + " processes), loads a data set through the control plane, and measures read latency"
          + " through the local and the remote accessor (P1), read throughput against a bare"
          + " endpoint (P2), replication lag at a fixed write rate (P3), write throughput on one"
          + " shard and on all shards (P4) and the hosts' memory; then runs the JMH"
          + " microbenchmarks.",
      "The benchmark client shares the machine with the servers it measures; see"
          + " benchmark/README.md."
    })
public final class BenchmarkRun implements Callable<Integer> {
  static final double TARGET_P99_MS = 50;
  static final double TARGET_READ_RATIO = 0.10;
  static final double TARGET_THROUGHPUT_RATIO = 0.5;
  static final double TARGET_READS_PER_SECOND = 10_000;
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss'Z'").withZone(ZoneOffset.UTC);
  @Spec private CommandSpec spec;

  @Mixin private BenchmarkOptions options = new BenchmarkOptions();

  private final PrintStream progress = System.err;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  static CommandLine commandLine() {
    return new CommandLine(new BenchmarkRun()).setCaseInsensitiveEnumValuesAllowed(true);
  }

  @Override
  public Integer call() throws Exception {
    options.applySmokePreset(spec);
    List<String> problems = options.problems();
    if (!problems.isEmpty()) {
      throw new CommandLine.ParameterException(spec.commandLine(), String.join("; ", problems));
    }
    Instant startedAt = Instant.now();
    Path outDirectory = options.outDirectory(startedAt);
    Files.createDirectories(outDirectory);
    List<String> jvm = options.serverJvm();
    if (options.microOnly) {
      List<MicroBenchmarks.Figure> figures = micro(outDirectory, jvm);
      String markdown = Report.micro(figures, options.smoke);
      Files.writeString(outDirectory.resolve("results.md"), markdown, StandardCharsets.UTF_8);
      System.out.println(markdown);
      progress.println("Results written to " + outDirectory);
      return 0;
    }
    double[] loadStart = Machine.loadAverage();
    Machine.CpuWindow wholeRun = new Machine.CpuWindow();
    // Traversable by others: as root, PostgreSQL runs as an unprivileged user and must reach its
    // data directory inside; nothing can be listed or read here without further permissions.
    Path clusterDirectory =
        options.postgresFsync
            ? Files.createTempDirectory(
                "coffer-benchmark-cluster-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx--x--x")))
            : null;

    progress.printf(
        "Starting a deployment: %d shard(s) x %d host(s), PostgreSQL fsync %s ...%n",
        options.shards, options.hostsPerShard, options.postgresFsync ? "on" : "off");
    long clusterStarting = System.nanoTime();
    LocalCluster cluster;
    try {
      cluster =
          LocalCluster.start(
              new LocalCluster.Options(
                  clusterDirectory, 0, options.shards, options.hostsPerShard, "local", jvm));
    } catch (RuntimeException e) {
      if (clusterDirectory != null) {
        deleteRecursively(clusterDirectory);
      }
      throw e;
    }
    double clusterStartSeconds = Machine.round3((System.nanoTime() - clusterStarting) / 1e9);
    AtomicBoolean closed = new AtomicBoolean();
    Runnable closeCluster =
        () -> {
          if (closed.compareAndSet(false, true)) {
            cluster.close();
            if (clusterDirectory != null) {
              deleteRecursively(clusterDirectory);
            }
          }
        };
    // Ctrl-C must not leave PostgreSQL servers and JVMs running.
    Thread hook = new Thread(closeCluster, "benchmark-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);

    Results results;
    ReplicationLagPhase.Measured lag;
    ReadLatencyPhase.Measured localReads;
    ReadLatencyPhase.Measured remoteReads;
    try (Http writes = new Http("writes", cluster.adminToken(), Duration.ofSeconds(30));
        Http probes = new Http("probes", cluster.adminToken(), Duration.ofSeconds(10));
        Http reads = new Http("reads", cluster.adminToken(), Duration.ofSeconds(10))) {
      progress.printf("Deployment up in %.1f s; creating vaults ...%n", clusterStartSeconds);
      Workload workload =
          Workload.create(
              writes,
              cluster.controlPlaneUrl(),
              options.shards,
              options.vaultsPerShard,
              options.secretsPerVault,
              options.valueBytes);
      DataSet dataSet =
          DataSet.createVaults(
              writes,
              cluster.controlPlaneUrl(),
              options.shards,
              new DataSet.Shape(
                  options.secrets,
                  options.secretBytes,
                  options.dataVaultsPerShard,
                  options.multiVersionFraction,
                  options.versionsEach,
                  options.loadThreads));
      ClusterProcesses roles = new ClusterProcesses(cluster);

      progress.printf(
          "Loading the data set: %d secrets of %d bytes, %d of them with %d versions (%d writes),"
              + " %d threads ...%n",
          options.secrets,
          options.secretBytes,
          dataSet.multiVersionSecrets(),
          options.versionsEach,
          dataSet.writes(),
          options.loadThreads);
      DataSet.Loaded loaded = dataSet.load(writes, cluster, roles, progress);
      Results.DataSet dataSetFigures =
          new Results.DataSet(
              options.secrets,
              options.secretBytes,
              options.dataVaultsPerShard * options.shards,
              dataSet.multiVersionSecrets(),
              options.versionsEach,
              loaded.writes(),
              dataSet.versionsPerShard(),
              options.loadThreads,
              loaded.seconds(),
              loaded.writesPerSecond(),
              loaded.retries(),
              loaded.appliedEverywhereSeconds(),
              loaded.usage());

      // P1: a host with the local accessor and one with the remote accessor, same shard and data.
      ShardId readShard = dataSet.shards().get(0);
      List<String> readPaths = dataSet.pathsOn(readShard);
      LocalCluster.Host localHost = cluster.hostsOf(readShard).get(0);
      progress.printf("Starting a remote-accessor host on %s ...%n", readShard.value());
      LocalCluster.Host remoteHost =
          cluster.startExtraHost(readShard, readShard.value() + "-remote", "remote");
      ReadLatencyPhase.Measured[] p1 = new ReadLatencyPhase.Measured[2];
      LocalCluster.Host[] p1Hosts = {localHost, remoteHost};
      String[] accessors = {"local", "remote"};
      Results.ServerTime[] serverTimes = new Results.ServerTime[2];
      for (int i = 0; i < 2; i++) {
        if (options.readWarmupSeconds > 0) {
          progress.printf(
              "P1 warm-up: %d s of reads at %s/s on %s ...%n",
              options.readWarmupSeconds, fmt(options.readRate), p1Hosts[i].id());
          readLatency(roles, reads, p1Hosts[i], accessors[i], readPaths, options.readWarmupSeconds);
        }
        progress.printf(
            "P1 read latency: %d s at %s reads/s on %s (%s accessor) ...%n",
            options.readSeconds, fmt(options.readRate), p1Hosts[i].id(), accessors[i]);
        p1[i] = readLatency(roles, reads, p1Hosts[i], accessors[i], readPaths, options.readSeconds);
        serverTimes[i] = serverTime(reads, p1Hosts[i].adminPort());
      }
      localReads = p1[0];
      remoteReads = p1[1];
      Results.ReadLatency readLatency =
          readLatencyFigures(readShard, readPaths.size(), localReads, remoteReads, serverTimes);

      // P2: the same host's reads against the bare endpoint, at the same concurrency.
      Results.ReadThroughput readThroughput =
          readThroughput(
              cluster, roles, reads, localHost, readPaths, outDirectory, jvm, clusterDirectory);

      // With the data set loaded and read: what a host holds.
      List<Results.Memory> memory = memory(writes, cluster);

      ReplicationLagPhase.Config lagConfig =
          new ReplicationLagPhase.Config(
              options.writeRate,
              Duration.ofSeconds(options.durationSeconds),
              options.writers,
              options.probe,
              options.probeEvery,
              options.activeEvery,
              millis(options.pollIntervalMs),
              millis(options.activePollIntervalMs));
      if (options.warmupSeconds > 0) {
        // First half closed loop: as many writes as the deployment can take, so that the servers'
        // JIT compiles the write and apply paths soon; at 50 writes/s, 10 s of the target rate
        // alone left the first seconds of the measurement visibly slower. Then the target rate
        // with the probes, so that their read path is compiled too.
        Duration burst = Duration.ofMillis(options.warmupSeconds * 500L);
        Duration steady = Duration.ofSeconds(options.warmupSeconds).minus(burst);
        progress.printf(
            "Warm-up: %.1f s closed loop, then %.1f s at %s writes/s ...%n",
            burst.toMillis() / 1e3, steady.toMillis() / 1e3, fmt(options.writeRate));
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
                new ReplicationLagPhase.Config(
                    options.writeRate,
                    burst.toMillis() >= 1000 ? steady : Duration.ofSeconds(options.warmupSeconds),
                    options.writers,
                    options.probe,
                    options.probeEvery,
                    options.activeEvery,
                    millis(options.pollIntervalMs),
                    millis(options.activePollIntervalMs)))
            .run();
      }
      progress.printf(
          "P3 replication lag: %d s at %s writes/s, probe %s ...%n",
          options.durationSeconds, fmt(options.writeRate), options.probe);
      List<Results.Collections> collectionsBefore = collections(writes, cluster);
      ShardMaintenance maintenance =
          ShardMaintenance.begin(cluster, workload.shards().stream().map(ShardId::value).toList());
      lag = new ReplicationLagPhase(cluster, workload, writes, probes, lagConfig).run();
      // Read at once: the hosts' histograms keep one minute, which should be this phase.
      List<Results.HostApplyLag> hostLag = hostApplyLag(writes, cluster);
      List<Results.Collections> collections =
          collectionsSince(collectionsBefore, collections(writes, cluster));
      List<Results.Maintenance> maintenanceDuring = maintenance.since();

      Map<ShardId, List<Workload.Vault>> byShard = workload.byShard();
      ShardId firstShard = byShard.keySet().iterator().next();
      progress.printf(
          "P4 throughput: %d threads, %d s on %s, then %d s on all shards ...%n",
          options.throughputThreads,
          options.throughputSeconds,
          firstShard.value(),
          options.throughputSeconds);
      ThroughputPhase.Measured one =
          ThroughputPhase.run(
              roles,
              writes,
              cluster.controlPlaneUrl(),
              workload,
              byShard.get(firstShard),
              options.throughputThreads,
              Duration.ofSeconds(options.throughputSeconds));
      ThroughputPhase.Measured all =
          ThroughputPhase.run(
              roles,
              writes,
              cluster.controlPlaneUrl(),
              workload,
              workload.vaults(),
              options.throughputThreads,
              Duration.ofSeconds(options.throughputSeconds));

      Results.Replication replication =
          replication(
              lag,
              hostLag,
              collections,
              maintenanceDuring,
              workload.shards().size(),
              options.warmupSeconds);
      Results.Throughput throughput =
          new Results.Throughput(
              step(
                  List.of(firstShard),
                  byShard.get(firstShard).size(),
                  options.throughputThreads,
                  one),
              step(workload.shards(), workload.vaults().size(), options.throughputThreads, all),
              one.writesPerSecond() <= 0
                  ? 0
                  : Machine.round3(all.writesPerSecond() / one.writesPerSecond()));
      progress.println("Stopping the deployment ...");
      closeCluster.run();
      Runtime.getRuntime().removeShutdownHook(hook);

      List<MicroBenchmarks.Figure> microFigures =
          options.micro ? micro(outDirectory, jvm) : List.of();

      results =
          new Results(
              new Results.Run(
                  startedAt.truncatedTo(java.time.temporal.ChronoUnit.MILLIS).toString(),
                  options.smoke,
                  spec.commandLine().getParseResult().originalArgs(),
                  gitCommit(),
                  clusterStartSeconds,
                  Machine.round3(Duration.between(startedAt, Instant.now()).toMillis() / 1e3)),
              new Results.MachineInfo(
                  Machine.cores(),
                  Machine.cpuModel(),
                  Machine.memoryTotalMiB(),
                  Machine.javaVersion(),
                  Machine.os(),
                  loadStart,
                  Machine.loadAverage(),
                  wholeRun.end(),
                  "The benchmark client, PostgreSQL, the control plane and every host share this"
                      + " machine's cores, and the machine is shared with other work and noisy:"
                      + " compare figures only within one run, and read absolute numbers as"
                      + " this machine's, not the design's."),
              new Results.Cluster(
                  options.shards,
                  options.hostsPerShard,
                  jvm,
                  options.postgresFsync,
                  workload.vaults().size(),
                  options.secretsPerVault,
                  options.valueBytes),
              dataSetFigures,
              readLatency,
              readThroughput,
              replication,
              throughput,
              memory,
              microFigures);
    } finally {
      closeCluster.run();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // Already shutting down: the hook is running or has run.
      }
    }

    String markdown = Report.markdown(results);
    Files.writeString(outDirectory.resolve("results.md"), markdown, StandardCharsets.UTF_8);
    Files.writeString(
        outDirectory.resolve("results.json"),
        Http.JSON.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(results)
            + "\n",
        StandardCharsets.UTF_8);
    Files.writeString(
        outDirectory.resolve("replication-lag.svg"),
        LagPlot.svg(
            String.format(
                java.util.Locale.ROOT,
                "Coffer replication lag: %s writes/s, %d shard(s) x %d host(s), %s",
                fmt(options.writeRate),
                options.shards,
                options.hostsPerShard,
                startedAt.truncatedTo(java.time.temporal.ChronoUnit.SECONDS)),
            lag.lagOverTime(),
            lag.seconds,
            TARGET_P99_MS,
            results.replication().appendToAllApplied().p99(),
            List.of(
                new LagPlot.Series(
                    "append → applied, cell (hosts' clocks)", lag.appendToAllApplied.cdf(200)),
                new LagPlot.Series(
                    "commit → read back, cell (client)", lag.commitToAllApplied.cdf(200)),
                new LagPlot.Series("commit → ACTIVE", lag.commitToActive.cdf(200)),
                new LagPlot.Series("write latency (due → answer)", lag.writeLatency.cdf(200)))),
        StandardCharsets.UTF_8);
    Files.writeString(
        outDirectory.resolve("read-latency.svg"),
        ReadLatencyPlot.svg(
            String.format(
                java.util.Locale.ROOT,
                "Coffer read latency, due → answer: %s reads/s on one host, %d secrets of %d bytes,"
                    + " %s",
                fmt(options.readRate),
                options.secrets,
                options.secretBytes,
                startedAt.truncatedTo(java.time.temporal.ChronoUnit.SECONDS)),
            List.of(
                new LagPlot.Series(
                    "local accessor (RocksDB replica)", localReads.latency().cdf(400)),
                new LagPlot.Series(
                    "remote accessor (shard store)", remoteReads.latency().cdf(400)))),
        StandardCharsets.UTF_8);
    System.out.println(markdown);
    progress.println("Results written to " + outDirectory);
    return 0;
  }

  private ReadLatencyPhase.Measured readLatency(
      ClusterProcesses roles,
      Http http,
      LocalCluster.Host host,
      String accessor,
      List<String> paths,
      int seconds)
      throws InterruptedException {
    return ReadLatencyPhase.run(
        roles,
        http,
        host.id(),
        host.url(),
        accessor,
        paths,
        options.readRate,
        Duration.ofSeconds(seconds),
        options.readers);
  }

  private Results.ReadLatency readLatencyFigures(
      ShardId shard,
      int secretsOnShard,
      ReadLatencyPhase.Measured local,
      ReadLatencyPhase.Measured remote,
      Results.ServerTime[] serverTimes) {
    Results.ReadRun l = readRun(local, serverTimes[0]);
    Results.ReadRun r = readRun(remote, serverTimes[1]);
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
        TARGET_READ_RATIO,
        valid(l) && valid(r) && p50Ratio <= TARGET_READ_RATIO,
        verdict(l, r, p50Ratio));
  }

  private String verdict(Results.ReadRun local, Results.ReadRun remote, double p50Ratio) {
    for (Results.ReadRun run : List.of(local, remote)) {
      if (!valid(run)) {
        return String.format(
            java.util.Locale.ROOT,
            "not judged: the %s accessor did not sustain %s reads/s (achieved %.1f/s, %d errors,"
                + " %d not sent, %d not from its store), so its latencies are a queue's",
            run.accessor(),
            fmt(options.readRate),
            run.achievedRate(),
            run.errors(),
            run.notSent(),
            run.notServedAsExpected());
      }
    }
    return p50Ratio <= TARGET_READ_RATIO ? "met" : "not met";
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

  /** Jetty's GET timer from a server's admin {@code /metrics}, in milliseconds, or null. */
  private static Results.ServerTime serverTime(Http http, int adminPort) {
    JsonNode timer =
        metrics(http, adminPort)
            .path("timers")
            .path("io.dropwizard.jetty.MutableServletContextHandler.get-requests");
    if (!timer.has("count")) {
      return null;
    }
    double toMillis =
        switch (timer.path("duration_units").asText("seconds")) {
          case "milliseconds" -> 1;
          case "microseconds" -> 1e-3;
          case "nanoseconds" -> 1e-6;
          default -> 1e3;
        };
    return new Results.ServerTime(
        timer.path("count").asLong(),
        Machine.round3(timer.path("mean").asDouble() * toMillis),
        Machine.round3(timer.path("p50").asDouble() * toMillis),
        Machine.round3(timer.path("p99").asDouble() * toMillis),
        Machine.round3(timer.path("p999").asDouble() * toMillis));
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

  private Results.ReadThroughput readThroughput(
      LocalCluster cluster,
      ClusterProcesses roles,
      Http http,
      LocalCluster.Host host,
      List<String> paths,
      Path outDirectory,
      List<String> jvm,
      Path clusterDirectory)
      throws IOException, InterruptedException {
    java.util.Optional<Path> wrk =
        options.loadGenerator == ReadThroughputPhase.LoadGenerator.JAVA
            ? java.util.Optional.empty()
            : ReadThroughputPhase.findWrk();
    if (options.loadGenerator == ReadThroughputPhase.LoadGenerator.WRK && wrk.isEmpty()) {
      throw new IllegalStateException("--load-generator wrk, but wrk is not on the PATH");
    }
    String note =
        wrk.isPresent()
            ? "wrk (C, event loop; " + Math.min(2, options.connections) + " threads)"
            : options.loadGenerator == ReadThroughputPhase.LoadGenerator.JAVA
                ? "Java closed-loop threads, as asked (--load-generator java)"
                : "Java closed-loop threads: wrk is not installed, so this client costs more CPU"
                    + " per request and the figures are lower than wrk's would be";
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
      String bareName = "bare endpoint";
      String cofferName = host.id() + " (local accessor)";
      // Both warmed before either is measured: the bare endpoint is a fresh JVM, while the host
      // has already served P1, and a JIT still compiling would make the bare figure the lower.
      if (options.readThroughputWarmup > 0) {
        for (String[] t : new String[][] {{bareName, endpoint.url()}, {cofferName, host.url()}}) {
          progress.printf("  warm-up %d s against %s ...%n", options.readThroughputWarmup, t[0]);
          closedLoop(withBare, http, wrk, scratch, t[0], t[1], paths, options.readThroughputWarmup);
        }
      }
      progress.printf("  measuring %d s against %s ...%n", options.readThroughputSeconds, bareName);
      bare =
          throughputRun(
              closedLoop(
                  withBare,
                  http,
                  wrk,
                  scratch,
                  bareName,
                  endpoint.url(),
                  paths,
                  options.readThroughputSeconds));
      progress.printf(
          "  measuring %d s against %s ...%n", options.readThroughputSeconds, cofferName);
      coffer =
          throughputRun(
              closedLoop(
                  withBare,
                  http,
                  wrk,
                  scratch,
                  cofferName,
                  host.url(),
                  paths,
                  options.readThroughputSeconds));
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
        TARGET_THROUGHPUT_RATIO,
        TARGET_READS_PER_SECOND,
        coffer.errors() == 0
            && ratio >= TARGET_THROUGHPUT_RATIO
            && coffer.requestsPerSecond() >= TARGET_READS_PER_SECOND);
  }

  private ReadThroughputPhase.Measured closedLoop(
      ClusterProcesses roles,
      Http http,
      java.util.Optional<Path> wrk,
      Path scratch,
      String target,
      String url,
      List<String> paths,
      int seconds)
      throws IOException, InterruptedException {
    Duration duration = Duration.ofSeconds(seconds);
    return wrk.isPresent()
        ? ReadThroughputPhase.wrk(
            roles, wrk.get(), scratch, http.token(), target, url, options.connections, duration)
        : ReadThroughputPhase.java(roles, http, target, url, paths, options.connections, duration);
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

  /**
   * The JMH fork measures code at full speed on an otherwise idle machine (it runs after the
   * deployment has stopped), so it keeps C2: the servers' C1-only option is about sharing two cores
   * between seven JVMs, which does not arise there.
   */
  private List<MicroBenchmarks.Figure> micro(Path outDirectory, List<String> serverJvm)
      throws org.openjdk.jmh.runner.RunnerException {
    List<String> jvm =
        serverJvm.stream().filter(option -> !option.startsWith("-XX:TieredStopAtLevel")).toList();
    progress.printf(
        "JMH microbenchmarks (%s) ...%n",
        options.smoke ? "smoke: one short iteration each" : "1 fork");
    return MicroBenchmarks.run(
        options.smoke ? MicroBenchmarks.Settings.smoke() : MicroBenchmarks.Settings.full(jvm),
        outDirectory.resolve("micro.json"));
  }

  private Results.Replication replication(
      ReplicationLagPhase.Measured m,
      List<Results.HostApplyLag> hostLag,
      List<Results.Collections> collections,
      List<Results.Maintenance> maintenance,
      int shardCount,
      int warmup) {
    double achieved = m.seconds <= 0 ? 0 : (m.writes.get() + m.writeErrors.get()) / m.seconds;
    Map<String, Latencies.Summary> byHost = new LinkedHashMap<>();
    synchronized (m) {
      m.commitToAppliedByHost.forEach((host, latencies) -> byHost.put(host, latencies.summary()));
    }
    Latencies.Summary all = m.appendToAllApplied.summary();
    Results.Probe probeFigures =
        new Results.Probe(
            options.probe.toString(),
            options.probeEvery,
            options.pollIntervalMs,
            m.probedWrites.get(),
            m.probeUnresolved.get(),
            m.probeRequests.get(),
            Machine.round3(m.probeRequests.get() / Math.max(m.seconds, 1e-9)),
            m.probeRemoteAnswers.get(),
            m.probeErrors.get(),
            new java.util.TreeMap<>(m.probeErrorKinds()),
            options.activeEvery,
            options.activePollIntervalMs,
            m.activeProbedWrites.get(),
            m.activeUnresolved.get(),
            m.activeRequests.get());
    return new Results.Replication(
        options.writeRate,
        Machine.round3(achieved),
        Machine.round3(achieved / shardCount),
        m.seconds,
        warmup,
        options.writers,
        m.writes.get(),
        m.writeErrors.get(),
        m.writesNotSent.get(),
        probeFigures,
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
        hostLag,
        collections,
        maintenance,
        TARGET_P99_MS,
        all.count() > 0
            && all.p99() <= TARGET_P99_MS
            && m.writeErrors.get() == 0
            && m.writesNotSent.get() == 0
            && achieved >= 0.95 * options.writeRate,
        m.usage,
        perWrite(m.usage, m.writes.get()));
  }

  private static Results.Step step(
      List<ShardId> shardIds, int vaults, int threads, ThroughputPhase.Measured m) {
    return new Results.Step(
        shardIds.stream().map(ShardId::value).toList(),
        vaults,
        threads,
        Machine.round3(m.seconds()),
        m.writes(),
        m.errors(),
        Machine.round3(m.writesPerSecond()),
        m.latency().summary(),
        m.usage(),
        perWrite(m.usage(), m.writes()));
  }

  private static Map<String, Double> perWrite(Machine.Usage usage, long writes) {
    Map<String, Double> out = new LinkedHashMap<>();
    if (writes > 0) {
      usage
          .coresByRole()
          .forEach(
              (role, cores) ->
                  out.put(role, Machine.round3(cores * usage.wallSeconds() * 1000 / writes)));
    }
    return out;
  }

  private List<Results.HostApplyLag> hostApplyLag(Http http, LocalCluster cluster) {
    List<Results.HostApplyLag> out = new ArrayList<>();
    for (LocalCluster.Host host : cluster.hosts()) {
      JsonNode h =
          metrics(http, host.adminPort())
              .path("histograms")
              .path("coffer.replication." + host.shard().value() + ".apply-lag-ms");
      out.add(
          new Results.HostApplyLag(
              host.id(),
              host.shard().value(),
              h.path("count").asLong(0),
              h.path("p50").asDouble(0),
              h.path("p99").asDouble(0),
              h.path("max").asDouble(0),
              Machine.round3(h.path("mean").asDouble(0))));
    }
    return out;
  }

  /**
   * Each server's garbage collections since it started, every collector together. A server whose
   * metrics cannot be read is left out.
   */
  private List<Results.Collections> collections(Http http, LocalCluster cluster) {
    List<Results.Collections> out = new ArrayList<>();
    for (LocalCluster.Host host : cluster.hosts()) {
      collectionsOf(http, host.process().name(), "data-plane host", host.adminPort())
          .ifPresent(out::add);
    }
    collectionsOf(
            http, cluster.controlPlane().name(), "control plane", controlPlaneAdminPort(cluster))
        .ifPresent(out::add);
    return out;
  }

  private static Optional<Results.Collections> collectionsOf(
      Http http, String process, String role, int adminPort) {
    if (adminPort <= 0) {
      return Optional.empty();
    }
    long count = 0;
    long millis = 0;
    boolean any = false;
    for (Map.Entry<String, JsonNode> gauge : metrics(http, adminPort).path("gauges").properties()) {
      String name = gauge.getKey();
      if (name.startsWith("jvm.gc.") && name.endsWith(".count")) {
        count += gauge.getValue().path("value").asLong(0);
        any = true;
      } else if (name.startsWith("jvm.gc.") && name.endsWith(".time")) {
        millis += gauge.getValue().path("value").asLong(0);
      }
    }
    return any
        ? Optional.of(new Results.Collections(process, role, count, millis))
        : Optional.empty();
  }

  /** Collections between two readings of {@link #collections}, per server read both times. */
  private static List<Results.Collections> collectionsSince(
      List<Results.Collections> before, List<Results.Collections> after) {
    List<Results.Collections> out = new ArrayList<>();
    for (Results.Collections now : after) {
      before.stream()
          .filter(then -> then.process().equals(now.process()))
          .findFirst()
          .ifPresent(
              then ->
                  out.add(
                      new Results.Collections(
                          now.process(),
                          now.role(),
                          now.count() - then.count(),
                          now.millis() - then.millis())));
    }
    return out;
  }

  private List<Results.Memory> memory(Http http, LocalCluster cluster) {
    List<Results.Memory> out = new ArrayList<>();
    for (LocalCluster.Host host : cluster.hosts()) {
      out.add(
          memoryOf(
              http,
              host.process(),
              "data-plane host",
              host.shard().value(),
              host.adminPort(),
              Machine.directoryMiB(host.replicaDirectory(cluster.directory()))));
    }
    for (LocalCluster.Host host : cluster.extraHosts()) {
      out.add(
          memoryOf(
              http,
              host.process(),
              "data-plane host, remote accessor",
              host.shard().value(),
              host.adminPort(),
              null));
    }
    out.add(
        memoryOf(
            http,
            cluster.controlPlane(),
            "control plane",
            null,
            controlPlaneAdminPort(cluster),
            null));
    return out;
  }

  /** LocalCluster does not expose it; its configuration file names it. */
  private static int controlPlaneAdminPort(LocalCluster cluster) {
    try {
      JsonNode config =
          new ObjectMapper(new YAMLFactory())
              .readTree(
                  cluster.directory().resolve("config").resolve("control-plane.yml").toFile());
      return config.path("server").path("adminConnectors").path(0).path("port").asInt(-1);
    } catch (IOException e) {
      return -1;
    }
  }

  private static Results.Memory memoryOf(
      Http http,
      ServiceProcess process,
      String role,
      String shard,
      int adminPort,
      Double replicaMiB) {
    Double heap = null;
    if (adminPort > 0) {
      JsonNode used = metrics(http, adminPort).path("gauges").path("jvm.memory.heap.used");
      if (used.has("value")) {
        heap = Math.round(used.path("value").asDouble() / (1024 * 1024) * 10) / 10.0;
      }
    }
    return new Results.Memory(
        process.name(),
        role,
        shard,
        process.pid(),
        Machine.residentMiB(process.pid()),
        heap,
        replicaMiB);
  }

  private static JsonNode metrics(Http http, int adminPort) {
    try {
      Http.Answer answer = http.get("http://127.0.0.1:" + adminPort + "/metrics");
      return answer.status() == 200 ? answer.json() : Http.JSON.createObjectNode();
    } catch (RuntimeException e) {
      return Http.JSON.createObjectNode();
    }
  }

  private static String gitCommit() {
    try {
      Process git =
          new ProcessBuilder("git", "rev-parse", "HEAD")
              .redirectErrorStream(true)
              .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
              .start();
      String text = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (git.waitFor(5, TimeUnit.SECONDS)
          && git.exitValue() == 0
          && text.matches("[0-9a-f]{40}")) {
        return text;
      }
    } catch (IOException e) {
      // No git: the commit is only a label.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return null;
  }

  private static Duration millis(double ms) {
    return Duration.ofNanos(Math.round(ms * 1e6));
  }

  private static String fmt(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }

  private static void deleteRecursively(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // Best effort, as LocalCluster does for its temporary directories.
    }
  }
}
