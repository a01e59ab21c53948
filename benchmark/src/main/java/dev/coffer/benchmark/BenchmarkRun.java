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
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
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

  /**
   * C1 only, as in the local deployment: seven JVMs and the PostgreSQL servers share this machine's
   * two cores, and C2 was still compiling minutes into a run — its compiler threads took a fifth of
   * the machine during P3, more than its faster code saved (see benchmark/README.md).
   */
  private static final List<String> SERVER_JVM =
      List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss512k");

  @Spec private CommandSpec spec;

  @Option(
      names = "--smoke",
      description =
          "Tiny and quick (seconds of load, 1 shard): proves the harness works; its figures mean"
              + " nothing. Options given explicitly still apply.")
  private boolean smoke;

  @Option(
      names = "--duration",
      defaultValue = "60",
      paramLabel = "SECONDS",
      description = "Measured time of the replication-lag phase (default: ${DEFAULT-VALUE}).")
  private int durationSeconds;

  @Option(
      names = "--write-rate",
      defaultValue = "200",
      paramLabel = "PER_SECOND",
      description =
          "Open-loop write rate of the lag phase, all shards together (default: ${DEFAULT-VALUE}).")
  private double writeRate;

  @Option(
      names = "--shards",
      defaultValue = "2",
      description = "Shards (default: ${DEFAULT-VALUE}).")
  private int shards;

  @Option(
      names = "--hosts-per-shard",
      defaultValue = "2",
      description = "Data-plane hosts in each cell (default: ${DEFAULT-VALUE}).")
  private int hostsPerShard;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description = "Where results go (default: benchmark-results/<UTC timestamp>/).")
  private Path out;

  @Option(
      names = "--warmup",
      defaultValue = "20",
      paramLabel = "SECONDS",
      description =
          "Unrecorded load before the lag phase: half closed loop, half at the write rate with"
              + " probes (default: ${DEFAULT-VALUE}).")
  private int warmupSeconds;

  @Option(
      names = "--writers",
      defaultValue = "32",
      description = "Writer threads of the open-loop phase (default: ${DEFAULT-VALUE}).")
  private int writers;

  @Option(
      names = "--probe",
      defaultValue = "wait",
      description =
          "How apply on a host is detected: wait (read with the write's token; the host answers"
              + " when applied) or poll (read without token every --poll-interval-ms until the"
              + " host answers from its replica). Default: ${DEFAULT-VALUE}.")
  private String probe;

  @Option(
      names = "--probe-every",
      defaultValue = "40",
      paramLabel = "N",
      description =
          "Read one write in N back from every host of its cell, for the client's figure (default:"
              + " ${DEFAULT-VALUE}; each probe is a read on every host of the cell, and they load"
              + " the machine being measured: at 1 in 10 the probes and the ACTIVE polls took about"
              + " a twelfth of it). Every write's own apply times come from the hosts in bulk.")
  private int probeEvery;

  @Option(
      names = "--poll-interval-ms",
      defaultValue = "2",
      description = "Poll interval of the poll probe (default: ${DEFAULT-VALUE}).")
  private double pollIntervalMs;

  @Option(
      names = "--active-every",
      defaultValue = "40",
      paramLabel = "N",
      description =
          "Poll the control plane for ACTIVE on one write in N (default: ${DEFAULT-VALUE}).")
  private int activeEvery;

  @Option(
      names = "--active-poll-interval-ms",
      defaultValue = "5",
      description =
          "First poll interval of the ACTIVE probe; it grows by a quarter per poll up to five"
              + " times this (default: ${DEFAULT-VALUE}).")
  private double activePollIntervalMs;

  @Option(
      names = "--throughput-seconds",
      defaultValue = "15",
      description = "Length of each throughput step (default: ${DEFAULT-VALUE}).")
  private int throughputSeconds;

  @Option(
      names = "--throughput-threads",
      defaultValue = "16",
      description =
          "Closed-loop writer threads of the throughput steps (default: ${DEFAULT-VALUE}).")
  private int throughputThreads;

  @Option(
      names = "--vaults-per-shard",
      defaultValue = "2",
      description = "Vaults created on each shard (default: ${DEFAULT-VALUE}).")
  private int vaultsPerShard;

  @Option(
      names = "--secrets-per-vault",
      defaultValue = "100",
      description = "Secrets written in each vault (default: ${DEFAULT-VALUE}).")
  private int secretsPerVault;

  @Option(
      names = "--value-bytes",
      defaultValue = "64",
      description = "Size of each written value (default: ${DEFAULT-VALUE}).")
  private int valueBytes;

  @Option(
      names = "--postgres-fsync",
      defaultValue = "true",
      arity = "1",
      description =
          "Durable PostgreSQL servers (fsync on) in a temporary directory; false uses the test"
              + " servers (fsync off, or COFFER_TEST_PGURL). Default: ${DEFAULT-VALUE}.")
  private boolean postgresFsync;

  @Option(
      names = "--secrets",
      defaultValue = "100000",
      description =
          "Secrets in the data set the read phases read, over every shard (default:"
              + " ${DEFAULT-VALUE}).")
  private int secrets;

  @Option(
      names = "--secret-bytes",
      defaultValue = "1024",
      description = "Size of each data-set value (default: ${DEFAULT-VALUE}).")
  private int secretBytes;

  @Option(
      names = "--data-vaults-per-shard",
      defaultValue = "4",
      description = "Vaults holding the data set on each shard (default: ${DEFAULT-VALUE}).")
  private int dataVaultsPerShard;

  @Option(
      names = "--multi-version-fraction",
      defaultValue = "0.1",
      description =
          "Fraction of the data set's secrets written several times (default: ${DEFAULT-VALUE}).")
  private double multiVersionFraction;

  @Option(
      names = "--versions",
      defaultValue = "3",
      description = "Versions of each of those secrets (default: ${DEFAULT-VALUE}).")
  private int versionsEach;

  @Option(
      names = "--load-threads",
      defaultValue = "16",
      description = "Closed-loop writer threads loading the data set (default: ${DEFAULT-VALUE}).")
  private int loadThreads;

  @Option(
      names = "--read-rate",
      defaultValue = "100",
      paramLabel = "PER_SECOND",
      description = "Open-loop read rate of P1, per accessor (default: ${DEFAULT-VALUE}).")
  private double readRate;

  @Option(
      names = "--read-duration",
      defaultValue = "30",
      paramLabel = "SECONDS",
      description = "Measured time of P1, per accessor (default: ${DEFAULT-VALUE}).")
  private int readSeconds;

  @Option(
      names = "--read-warmup",
      defaultValue = "10",
      paramLabel = "SECONDS",
      description = "Unrecorded reads at the rate before each P1 run (default: ${DEFAULT-VALUE}).")
  private int readWarmupSeconds;

  @Option(
      names = "--readers",
      defaultValue = "16",
      description = "Reader threads of the open-loop read phase (default: ${DEFAULT-VALUE}).")
  private int readers;

  @Option(
      names = "--read-throughput-seconds",
      defaultValue = "15",
      description = "Measured time of P2, per target (default: ${DEFAULT-VALUE}).")
  private int readThroughputSeconds;

  @Option(
      names = "--read-throughput-warmup",
      defaultValue = "30",
      description =
          "Unrecorded load on each P2 target, both before either is measured (default:"
              + " ${DEFAULT-VALUE}).")
  private int readThroughputWarmup;

  @Option(
      names = "--connections",
      defaultValue = "16",
      description = "Concurrent connections of P2 (default: ${DEFAULT-VALUE}).")
  private int connections;

  @Option(
      names = "--load-generator",
      defaultValue = "auto",
      description =
          "P2's load generator: wrk, java (closed-loop threads), or auto (wrk when installed)."
              + " Default: ${DEFAULT-VALUE}.")
  private String loadGenerator;

  @Option(
      names = "--micro",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description =
          "Run the JMH microbenchmarks after the deployment has stopped (--no-micro skips them;"
              + " default: ${DEFAULT-VALUE}).")
  private boolean micro;

  @Option(names = "--micro-only", description = "Only the JMH microbenchmarks, no deployment.")
  private boolean microOnly;

  @Option(
      names = "--server-jvm-option",
      paramLabel = "OPTION",
      description =
          "A JVM option for every server process; repeat for several (default: "
              + "-Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss512k).")
  private List<String> serverJvmOptions;

  private final PrintStream progress = System.err;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  static CommandLine commandLine() {
    return new CommandLine(new BenchmarkRun()).setCaseInsensitiveEnumValuesAllowed(true);
  }

  @Override
  public Integer call() throws Exception {
    applySmokeDefaults();
    validate();
    Instant startedAt = Instant.now();
    Path outDirectory =
        (out != null ? out : Path.of("benchmark-results", STAMP.format(startedAt)))
            .toAbsolutePath()
            .normalize();
    Files.createDirectories(outDirectory);
    List<String> jvm = serverJvmOptions == null ? SERVER_JVM : List.copyOf(serverJvmOptions);
    if (microOnly) {
      List<MicroBenchmarks.Figure> figures = micro(outDirectory, jvm);
      String markdown = Report.micro(figures, smoke);
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
        postgresFsync
            ? Files.createTempDirectory(
                "coffer-benchmark-cluster-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx--x--x")))
            : null;

    progress.printf(
        "Starting a deployment: %d shard(s) x %d host(s), PostgreSQL fsync %s ...%n",
        shards, hostsPerShard, postgresFsync ? "on" : "off");
    long clusterStarting = System.nanoTime();
    LocalCluster cluster;
    try {
      cluster =
          LocalCluster.start(
              new LocalCluster.Options(clusterDirectory, 0, shards, hostsPerShard, "local", jvm));
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
              shards,
              vaultsPerShard,
              secretsPerVault,
              valueBytes);
      DataSet dataSet =
          DataSet.createVaults(
              writes,
              cluster.controlPlaneUrl(),
              shards,
              new DataSet.Shape(
                  secrets,
                  secretBytes,
                  dataVaultsPerShard,
                  multiVersionFraction,
                  versionsEach,
                  loadThreads));
      ClusterProcesses roles = new ClusterProcesses(cluster);

      progress.printf(
          "Loading the data set: %d secrets of %d bytes, %d of them with %d versions (%d writes),"
              + " %d threads ...%n",
          secrets,
          secretBytes,
          dataSet.multiVersionSecrets(),
          versionsEach,
          dataSet.writes(),
          loadThreads);
      DataSet.Loaded loaded = dataSet.load(writes, cluster, roles, progress);
      Results.DataSet dataSetFigures =
          new Results.DataSet(
              secrets,
              secretBytes,
              dataVaultsPerShard * shards,
              dataSet.multiVersionSecrets(),
              versionsEach,
              loaded.writes(),
              dataSet.versionsPerShard(),
              loadThreads,
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
        if (readWarmupSeconds > 0) {
          progress.printf(
              "P1 warm-up: %d s of reads at %s/s on %s ...%n",
              readWarmupSeconds, fmt(readRate), p1Hosts[i].id());
          readLatency(roles, reads, p1Hosts[i], accessors[i], readPaths, readWarmupSeconds);
        }
        progress.printf(
            "P1 read latency: %d s at %s reads/s on %s (%s accessor) ...%n",
            readSeconds, fmt(readRate), p1Hosts[i].id(), accessors[i]);
        p1[i] = readLatency(roles, reads, p1Hosts[i], accessors[i], readPaths, readSeconds);
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
              writeRate,
              Duration.ofSeconds(durationSeconds),
              writers,
              probeMethod(),
              probeEvery,
              activeEvery,
              millis(pollIntervalMs),
              millis(activePollIntervalMs));
      if (warmupSeconds > 0) {
        // First half closed loop: as many writes as the deployment can take, so that the servers'
        // JIT compiles the write and apply paths soon; at 50 writes/s, 10 s of the target rate
        // alone left the first seconds of the measurement visibly slower. Then the target rate
        // with the probes, so that their read path is compiled too.
        Duration burst = Duration.ofMillis(warmupSeconds * 500L);
        Duration steady = Duration.ofSeconds(warmupSeconds).minus(burst);
        progress.printf(
            "Warm-up: %.1f s closed loop, then %.1f s at %s writes/s ...%n",
            burst.toMillis() / 1e3, steady.toMillis() / 1e3, fmt(writeRate));
        if (burst.toMillis() >= 1000) {
          ThroughputPhase.run(
              roles,
              writes,
              cluster.controlPlaneUrl(),
              workload,
              workload.vaults(),
              throughputThreads,
              burst);
        }
        new ReplicationLagPhase(
                cluster,
                workload,
                writes,
                probes,
                new ReplicationLagPhase.Config(
                    writeRate,
                    burst.toMillis() >= 1000 ? steady : Duration.ofSeconds(warmupSeconds),
                    writers,
                    probeMethod(),
                    probeEvery,
                    activeEvery,
                    millis(pollIntervalMs),
                    millis(activePollIntervalMs)))
            .run();
      }
      progress.printf(
          "P3 replication lag: %d s at %s writes/s, probe %s ...%n",
          durationSeconds, fmt(writeRate), probe);
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
          throughputThreads, throughputSeconds, firstShard.value(), throughputSeconds);
      ThroughputPhase.Measured one =
          ThroughputPhase.run(
              roles,
              writes,
              cluster.controlPlaneUrl(),
              workload,
              byShard.get(firstShard),
              throughputThreads,
              Duration.ofSeconds(throughputSeconds));
      ThroughputPhase.Measured all =
          ThroughputPhase.run(
              roles,
              writes,
              cluster.controlPlaneUrl(),
              workload,
              workload.vaults(),
              throughputThreads,
              Duration.ofSeconds(throughputSeconds));

      Results.Replication replication =
          replication(
              lag,
              hostLag,
              collections,
              maintenanceDuring,
              workload.shards().size(),
              warmupSeconds);
      Results.Throughput throughput =
          new Results.Throughput(
              step(List.of(firstShard), byShard.get(firstShard).size(), throughputThreads, one),
              step(workload.shards(), workload.vaults().size(), throughputThreads, all),
              one.writesPerSecond() <= 0
                  ? 0
                  : Machine.round3(all.writesPerSecond() / one.writesPerSecond()));
      progress.println("Stopping the deployment ...");
      closeCluster.run();
      Runtime.getRuntime().removeShutdownHook(hook);

      List<MicroBenchmarks.Figure> microFigures = micro ? micro(outDirectory, jvm) : List.of();

      results =
          new Results(
              new Results.Run(
                  startedAt.truncatedTo(java.time.temporal.ChronoUnit.MILLIS).toString(),
                  smoke,
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
                  shards,
                  hostsPerShard,
                  jvm,
                  postgresFsync,
                  workload.vaults().size(),
                  secretsPerVault,
                  valueBytes),
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
                fmt(writeRate),
                shards,
                hostsPerShard,
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
                fmt(readRate),
                secrets,
                secretBytes,
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
        readRate,
        Duration.ofSeconds(seconds),
        readers);
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
        readRate,
        readSeconds,
        readWarmupSeconds,
        readers,
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
            fmt(readRate),
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
        && run.achievedRate() >= 0.95 * readRate;
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
        "java".equals(loadGenerator) ? java.util.Optional.empty() : ReadThroughputPhase.findWrk();
    if ("wrk".equals(loadGenerator) && wrk.isEmpty()) {
      throw new IllegalStateException("--load-generator wrk, but wrk is not on the PATH");
    }
    String note =
        wrk.isPresent()
            ? "wrk (C, event loop; " + Math.min(2, connections) + " threads)"
            : "java".equals(loadGenerator)
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
        BareEndpoint.start(cluster.directory(), cluster.adminToken(), secretBytes, jvm)) {
      ClusterProcesses withBare = roles.with(ClusterProcesses.BARE_ENDPOINT, endpoint.pid());
      String bareName = "bare endpoint";
      String cofferName = host.id() + " (local accessor)";
      // Both warmed before either is measured: the bare endpoint is a fresh JVM, while the host
      // has already served P1, and a JIT still compiling would make the bare figure the lower.
      if (readThroughputWarmup > 0) {
        for (String[] t : new String[][] {{bareName, endpoint.url()}, {cofferName, host.url()}}) {
          progress.printf("  warm-up %d s against %s ...%n", readThroughputWarmup, t[0]);
          closedLoop(withBare, http, wrk, scratch, t[0], t[1], paths, readThroughputWarmup);
        }
      }
      progress.printf("  measuring %d s against %s ...%n", readThroughputSeconds, bareName);
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
                  readThroughputSeconds));
      progress.printf("  measuring %d s against %s ...%n", readThroughputSeconds, cofferName);
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
                  readThroughputSeconds));
    }
    double ratio =
        bare.requestsPerSecond() <= 0
            ? 0
            : Machine.round3(coffer.requestsPerSecond() / bare.requestsPerSecond());
    return new Results.ReadThroughput(
        wrk.isPresent() ? ReadThroughputPhase.WRK : ReadThroughputPhase.JAVA,
        note,
        connections,
        readThroughputSeconds,
        readThroughputWarmup,
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
            roles, wrk.get(), scratch, http.token(), target, url, connections, duration)
        : ReadThroughputPhase.java(roles, http, target, url, paths, connections, duration);
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
        "JMH microbenchmarks (%s) ...%n", smoke ? "smoke: one short iteration each" : "1 fork");
    return MicroBenchmarks.run(
        smoke ? MicroBenchmarks.Settings.smoke() : MicroBenchmarks.Settings.full(jvm),
        outDirectory.resolve("micro.json"));
  }

  private void applySmokeDefaults() {
    if (!smoke) {
      return;
    }
    CommandLine.ParseResult given = spec.commandLine().getParseResult();
    if (!given.hasMatchedOption("--shards")) {
      shards = 1;
    }
    if (!given.hasMatchedOption("--hosts-per-shard")) {
      hostsPerShard = 2;
    }
    if (!given.hasMatchedOption("--duration")) {
      durationSeconds = 4;
    }
    if (!given.hasMatchedOption("--warmup")) {
      warmupSeconds = 1;
    }
    if (!given.hasMatchedOption("--write-rate")) {
      writeRate = 20;
    }
    if (!given.hasMatchedOption("--writers")) {
      writers = 4;
    }
    if (!given.hasMatchedOption("--probe-every")) {
      probeEvery = 1;
    }
    if (!given.hasMatchedOption("--active-every")) {
      activeEvery = 2;
    }
    if (!given.hasMatchedOption("--throughput-seconds")) {
      throughputSeconds = 1;
    }
    if (!given.hasMatchedOption("--throughput-threads")) {
      throughputThreads = 4;
    }
    if (!given.hasMatchedOption("--vaults-per-shard")) {
      vaultsPerShard = 1;
    }
    if (!given.hasMatchedOption("--secrets-per-vault")) {
      secretsPerVault = 10;
    }
    if (!given.hasMatchedOption("--value-bytes")) {
      valueBytes = 16;
    }
    if (!given.hasMatchedOption("--postgres-fsync")) {
      postgresFsync = false;
    }
    if (!given.hasMatchedOption("--secrets")) {
      secrets = 200;
    }
    if (!given.hasMatchedOption("--secret-bytes")) {
      secretBytes = 256;
    }
    if (!given.hasMatchedOption("--data-vaults-per-shard")) {
      dataVaultsPerShard = 2;
    }
    if (!given.hasMatchedOption("--load-threads")) {
      loadThreads = 4;
    }
    if (!given.hasMatchedOption("--read-rate")) {
      readRate = 50;
    }
    if (!given.hasMatchedOption("--read-duration")) {
      readSeconds = 2;
    }
    if (!given.hasMatchedOption("--read-warmup")) {
      readWarmupSeconds = 1;
    }
    if (!given.hasMatchedOption("--readers")) {
      readers = 4;
    }
    if (!given.hasMatchedOption("--read-throughput-seconds")) {
      readThroughputSeconds = 2;
    }
    if (!given.hasMatchedOption("--read-throughput-warmup")) {
      readThroughputWarmup = 1;
    }
    if (!given.hasMatchedOption("--connections")) {
      connections = 4;
    }
    if (!given.hasMatchedOption("--server-jvm-option")) {
      // Start-up speed over steady-state speed: the smoke run's figures are not read.
      serverJvmOptions = LocalCluster.Options.forTests().jvmOptions();
    }
  }

  private void validate() {
    List<String> problems = new ArrayList<>();
    if (shards < 1 || hostsPerShard < 1) {
      problems.add("--shards and --hosts-per-shard must be at least 1");
    }
    if (durationSeconds < 1 || warmupSeconds < 0 || throughputSeconds < 1) {
      problems.add("--duration and --throughput-seconds must be at least 1, --warmup at least 0");
    }
    if (!(writeRate > 0) || writeRate > 100_000) {
      problems.add("--write-rate must be above 0 and at most 100000");
    }
    if (writers < 1 || throughputThreads < 1) {
      problems.add("--writers and --throughput-threads must be at least 1");
    }
    if (probeEvery < 0 || activeEvery < 0) {
      problems.add("--probe-every and --active-every must not be negative (0 turns a probe off)");
    }
    if (!(pollIntervalMs > 0) || !(activePollIntervalMs > 0)) {
      problems.add("poll intervals must be positive");
    }
    if (vaultsPerShard < 1 || secretsPerVault < 1 || valueBytes < 1 || valueBytes > 65536) {
      problems.add(
          "--vaults-per-shard and --secrets-per-vault at least 1; --value-bytes 1 to 65536");
    }
    if (secrets < 1 || secretBytes < 16 || secretBytes > 65536 || dataVaultsPerShard < 1) {
      problems.add("--secrets and --data-vaults-per-shard at least 1; --secret-bytes 16 to 65536");
    }
    if (multiVersionFraction < 0 || multiVersionFraction > 1 || versionsEach < 1) {
      problems.add("--multi-version-fraction from 0 to 1, --versions at least 1");
    }
    if (loadThreads < 1 || readers < 1 || connections < 1) {
      problems.add("--load-threads, --readers and --connections must be at least 1");
    }
    if (!(readRate > 0) || readRate > 100_000 || readSeconds < 1 || readWarmupSeconds < 0) {
      problems.add(
          "--read-rate above 0 and at most 100000, --read-duration at least 1, --read-warmup at"
              + " least 0");
    }
    if (readThroughputSeconds < 1 || readThroughputWarmup < 0) {
      problems.add("--read-throughput-seconds at least 1, --read-throughput-warmup at least 0");
    }
    if (!List.of("auto", "wrk", "java").contains(loadGenerator)) {
      problems.add("--load-generator must be auto, wrk or java");
    }
    try {
      probeMethod();
    } catch (IllegalArgumentException e) {
      problems.add("--probe must be wait or poll");
    }
    if (!problems.isEmpty()) {
      throw new CommandLine.ParameterException(spec.commandLine(), String.join("; ", problems));
    }
  }

  private ReplicationLagPhase.ProbeMethod probeMethod() {
    return ReplicationLagPhase.ProbeMethod.valueOf(probe.toUpperCase(java.util.Locale.ROOT));
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
            probe,
            probeEvery,
            pollIntervalMs,
            m.probedWrites.get(),
            m.probeUnresolved.get(),
            m.probeRequests.get(),
            Machine.round3(m.probeRequests.get() / Math.max(m.seconds, 1e-9)),
            m.probeRemoteAnswers.get(),
            m.probeErrors.get(),
            new java.util.TreeMap<>(m.probeErrorKinds()),
            activeEvery,
            activePollIntervalMs,
            m.activeProbedWrites.get(),
            m.activeUnresolved.get(),
            m.activeRequests.get());
    return new Results.Replication(
        writeRate,
        Machine.round3(achieved),
        Machine.round3(achieved / shardCount),
        m.seconds,
        warmup,
        writers,
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
            && achieved >= 0.95 * writeRate,
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
