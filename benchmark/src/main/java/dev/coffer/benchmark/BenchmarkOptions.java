package dev.coffer.benchmark;

import dev.coffer.deployment.LocalCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;

/**
 * The benchmark's command-line options with their defaults, the smoke preset, and the settings of
 * each phase derived from them.
 */
final class BenchmarkOptions {
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss'Z'").withZone(ZoneOffset.UTC);

  /**
   * C1 only, as in the local deployment: seven JVMs and the PostgreSQL servers share this machine's
   * two cores, and C2 was still compiling minutes into a run — its compiler threads took a fifth of
   * the machine during P3, more than its faster code saved (see benchmark/README.md).
   */
  static final List<String> SERVER_JVM =
      List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss512k");

  @Option(
      names = "--smoke",
      description =
          "Tiny and quick (seconds of load, 1 shard): proves the harness works; its figures mean"
              + " nothing. Options given explicitly still apply.")
  boolean smoke;

  @Option(
      names = "--duration",
      defaultValue = "60",
      paramLabel = "SECONDS",
      description = "Measured time of the replication-lag phase (default: ${DEFAULT-VALUE}).")
  int durationSeconds;

  @Option(
      names = "--write-rate",
      defaultValue = "200",
      paramLabel = "PER_SECOND",
      description =
          "Open-loop write rate of the lag phase, all shards together (default: ${DEFAULT-VALUE}).")
  double writeRate;

  @Option(
      names = "--shards",
      defaultValue = "2",
      description = "Shards (default: ${DEFAULT-VALUE}).")
  int shards;

  @Option(
      names = "--hosts-per-shard",
      defaultValue = "2",
      description = "Data-plane hosts in each cell (default: ${DEFAULT-VALUE}).")
  int hostsPerShard;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description = "Where results go (default: benchmark-results/<UTC timestamp>/).")
  Path out;

  @Option(
      names = "--warmup",
      defaultValue = "20",
      paramLabel = "SECONDS",
      description =
          "Unrecorded load before the lag phase: half closed loop, half at the write rate with"
              + " probes (default: ${DEFAULT-VALUE}).")
  int warmupSeconds;

  @Option(
      names = "--writers",
      defaultValue = "32",
      description = "Writer threads of the open-loop phase (default: ${DEFAULT-VALUE}).")
  int writers;

  @Option(
      names = "--probe",
      defaultValue = "wait",
      description =
          "How apply on a host is detected: wait (read with the write's token; the host answers"
              + " when applied) or poll (read without token every --poll-interval-ms until the"
              + " host answers from its replica). Default: ${DEFAULT-VALUE}.")
  ReplicationLagPhase.ProbeMethod probe;

  @Option(
      names = "--probe-every",
      defaultValue = "40",
      paramLabel = "N",
      description =
          "Read one write in N back from every host of its cell, for the client's figure (default:"
              + " ${DEFAULT-VALUE}; each probe is a read on every host of the cell, and they load"
              + " the machine being measured: at 1 in 10 the probes and the ACTIVE polls took about"
              + " a twelfth of it). Every write's own apply times come from the hosts in bulk.")
  int probeEvery;

  @Option(
      names = "--poll-interval-ms",
      defaultValue = "2",
      description = "Poll interval of the poll probe (default: ${DEFAULT-VALUE}).")
  double pollIntervalMs;

  @Option(
      names = "--active-every",
      defaultValue = "40",
      paramLabel = "N",
      description =
          "Poll the control plane for ACTIVE on one write in N (default: ${DEFAULT-VALUE}).")
  int activeEvery;

  @Option(
      names = "--active-poll-interval-ms",
      defaultValue = "5",
      description =
          "First poll interval of the ACTIVE probe; it grows by a quarter per poll up to five"
              + " times this (default: ${DEFAULT-VALUE}).")
  double activePollIntervalMs;

  @Option(
      names = "--throughput-seconds",
      defaultValue = "15",
      description = "Length of each throughput step (default: ${DEFAULT-VALUE}).")
  int throughputSeconds;

  @Option(
      names = "--throughput-threads",
      defaultValue = "16",
      description =
          "Closed-loop writer threads of the throughput steps (default: ${DEFAULT-VALUE}).")
  int throughputThreads;

  @Option(
      names = "--vaults-per-shard",
      defaultValue = "2",
      description = "Vaults created on each shard (default: ${DEFAULT-VALUE}).")
  int vaultsPerShard;

  @Option(
      names = "--secrets-per-vault",
      defaultValue = "100",
      description = "Secrets written in each vault (default: ${DEFAULT-VALUE}).")
  int secretsPerVault;

  @Option(
      names = "--value-bytes",
      defaultValue = "64",
      description = "Size of each written value (default: ${DEFAULT-VALUE}).")
  int valueBytes;

  @Option(
      names = "--postgres-fsync",
      defaultValue = "true",
      arity = "1",
      description =
          "Durable PostgreSQL servers (fsync on) in a temporary directory; false uses the test"
              + " servers (fsync off, or COFFER_TEST_PGURL). Default: ${DEFAULT-VALUE}.")
  boolean postgresFsync;

  @Option(
      names = "--secrets",
      defaultValue = "100000",
      description =
          "Secrets in the data set the read phases read, over every shard (default:"
              + " ${DEFAULT-VALUE}).")
  int secrets;

  @Option(
      names = "--secret-bytes",
      defaultValue = "1024",
      description = "Size of each data-set value (default: ${DEFAULT-VALUE}).")
  int secretBytes;

  @Option(
      names = "--data-vaults-per-shard",
      defaultValue = "4",
      description = "Vaults holding the data set on each shard (default: ${DEFAULT-VALUE}).")
  int dataVaultsPerShard;

  @Option(
      names = "--multi-version-fraction",
      defaultValue = "0.1",
      description =
          "Fraction of the data set's secrets written several times (default: ${DEFAULT-VALUE}).")
  double multiVersionFraction;

  @Option(
      names = "--versions",
      defaultValue = "3",
      description = "Versions of each of those secrets (default: ${DEFAULT-VALUE}).")
  int versionsEach;

  @Option(
      names = "--load-threads",
      defaultValue = "16",
      description = "Closed-loop writer threads loading the data set (default: ${DEFAULT-VALUE}).")
  int loadThreads;

  @Option(
      names = "--read-rate",
      defaultValue = "100",
      paramLabel = "PER_SECOND",
      description = "Open-loop read rate of P1, per accessor (default: ${DEFAULT-VALUE}).")
  double readRate;

  @Option(
      names = "--read-duration",
      defaultValue = "30",
      paramLabel = "SECONDS",
      description = "Measured time of P1, per accessor (default: ${DEFAULT-VALUE}).")
  int readSeconds;

  @Option(
      names = "--read-warmup",
      defaultValue = "10",
      paramLabel = "SECONDS",
      description = "Unrecorded reads at the rate before each P1 run (default: ${DEFAULT-VALUE}).")
  int readWarmupSeconds;

  @Option(
      names = "--readers",
      defaultValue = "16",
      description = "Reader threads of the open-loop read phase (default: ${DEFAULT-VALUE}).")
  int readers;

  @Option(
      names = "--read-throughput-seconds",
      defaultValue = "15",
      description = "Measured time of P2, per target (default: ${DEFAULT-VALUE}).")
  int readThroughputSeconds;

  @Option(
      names = "--read-throughput-warmup",
      defaultValue = "30",
      description =
          "Unrecorded load on each P2 target, both before either is measured (default:"
              + " ${DEFAULT-VALUE}).")
  int readThroughputWarmup;

  @Option(
      names = "--connections",
      defaultValue = "16",
      description = "Concurrent connections of P2 (default: ${DEFAULT-VALUE}).")
  int connections;

  @Option(
      names = "--load-generator",
      defaultValue = "auto",
      description =
          "P2's load generator: wrk, java (closed-loop threads), or auto (wrk when installed)."
              + " Default: ${DEFAULT-VALUE}.")
  ReadThroughputPhase.LoadGenerator loadGenerator;

  @Option(
      names = "--micro",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description =
          "Run the JMH microbenchmarks after the deployment has stopped (--no-micro skips them;"
              + " default: ${DEFAULT-VALUE}).")
  boolean micro;

  @Option(names = "--micro-only", description = "Only the JMH microbenchmarks, no deployment.")
  boolean microOnly;

  @Option(
      names = "--server-jvm-option",
      paramLabel = "OPTION",
      description =
          "A JVM option for every server process; repeat for several (default: "
              + "-Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss512k).")
  List<String> serverJvmOptions;

  /**
   * The value of each option under {@code --smoke}: tiny and quick, 1 shard. Applied only to the
   * options not given on the command line.
   */
  static Map<String, Object> smoke() {
    Map<String, Object> preset = new LinkedHashMap<>();
    preset.put("--shards", 1);
    preset.put("--hosts-per-shard", 2);
    preset.put("--duration", 4);
    preset.put("--warmup", 1);
    preset.put("--write-rate", 20.0);
    preset.put("--writers", 4);
    preset.put("--probe-every", 1);
    preset.put("--active-every", 2);
    preset.put("--throughput-seconds", 1);
    preset.put("--throughput-threads", 4);
    preset.put("--vaults-per-shard", 1);
    preset.put("--secrets-per-vault", 10);
    preset.put("--value-bytes", 16);
    preset.put("--postgres-fsync", false);
    preset.put("--secrets", 200);
    preset.put("--secret-bytes", 256);
    preset.put("--data-vaults-per-shard", 2);
    preset.put("--load-threads", 4);
    preset.put("--read-rate", 50.0);
    preset.put("--read-duration", 2);
    preset.put("--read-warmup", 1);
    preset.put("--readers", 4);
    preset.put("--read-throughput-seconds", 2);
    preset.put("--read-throughput-warmup", 1);
    preset.put("--connections", 4);
    // Start-up speed over steady-state speed: the smoke run's figures are not read.
    preset.put("--server-jvm-option", LocalCluster.Options.forTests().jvmOptions());
    return preset;
  }

  /** With {@code --smoke}, the {@link #smoke()} value of every option the command line left out. */
  void applySmokePreset(CommandSpec spec) {
    if (!smoke) {
      return;
    }
    smoke()
        .forEach(
            (name, value) -> {
              if (!spec.commandLine().getParseResult().hasMatchedOption(name)) {
                OptionSpec option = spec.findOption(name);
                option.setValue(value);
              }
            });
  }

  /** What is wrong with the values, one sentence per problem; empty when they can run. */
  List<String> problems() {
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
    return problems;
  }

  List<String> serverJvm() {
    return serverJvmOptions == null ? SERVER_JVM : List.copyOf(serverJvmOptions);
  }

  Path outDirectory(Instant startedAt) {
    return (out != null ? out : Path.of("benchmark-results", STAMP.format(startedAt)))
        .toAbsolutePath()
        .normalize();
  }

  DataSet.Shape dataSetShape() {
    return new DataSet.Shape(
        secrets, secretBytes, dataVaultsPerShard, multiVersionFraction, versionsEach, loadThreads);
  }

  /** The lag phase's settings, for {@code duration} (the measured phase or its warm-up). */
  ReplicationLagPhase.Config lagConfig(Duration duration) {
    return new ReplicationLagPhase.Config(
        writeRate,
        duration,
        writers,
        probe,
        probeEvery,
        activeEvery,
        millis(pollIntervalMs),
        millis(activePollIntervalMs));
  }

  private static Duration millis(double ms) {
    return Duration.ofNanos(Math.round(ms * 1e6));
  }
}
