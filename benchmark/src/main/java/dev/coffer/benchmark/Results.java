package dev.coffer.benchmark;

import dev.coffer.benchmark.Latencies.Summary;
import dev.coffer.benchmark.micro.MicroBenchmarks;
import java.util.List;
import java.util.Map;

/**
 * Every figure of a run, as written to {@code results.json}. Times are milliseconds, rates per
 * second, memory MiB.
 */
record Results(
    Run run,
    MachineInfo machine,
    Cluster cluster,
    DataSet dataSet,
    ReadLatency readLatency,
    ReadThroughput readThroughput,
    Replication replication,
    Throughput throughput,
    List<Memory> memory,
    List<MicroBenchmarks.Figure> micro) {

  /**
   * The data set the read phases read, and what loading it through the control plane cost.
   *
   * @param appliedEverywhereSeconds from the first write to every host having applied the last
   */
  record DataSet(
      int secrets,
      int valueBytes,
      int vaults,
      long multiVersionSecrets,
      int versionsEach,
      long versions,
      Map<String, Long> versionsPerShard,
      int loadThreads,
      double loadSeconds,
      double writesPerSecond,
      long retries,
      double appliedEverywhereSeconds,
      Machine.Usage usage) {}

  /**
   * One accessor's open-loop read run.
   *
   * @param latency due time → answer (includes queueing in the client: no coordinated omission)
   * @param serviceTime sent → answer
   * @param notServedAsExpected answers whose {@code Coffer-Served-From} was not the accessor's
   * @param clientShare the benchmark client's share of all CPU time used on the machine
   * @param serverTime the host's own view: Jetty's timer of GET requests, read from its admin
   *     {@code /metrics} right after the run
   */
  record ReadRun(
      String host,
      String accessor,
      double achievedRate,
      long reads,
      long errors,
      long notServedAsExpected,
      long notSent,
      Summary latency,
      Summary serviceTime,
      Machine.Usage usage,
      Double clientShare,
      ServerTime serverTime) {}

  /**
   * Milliseconds a server spent on requests by its own clock, from request received to response
   * written: without the client and the loopback network. Dropwizard's timer keeps an exponentially
   * decaying sample biased to the last five minutes, so it describes mostly the run just finished.
   */
  record ServerTime(long count, double mean, double p50, double p99, double p999) {}

  /**
   * P1: the same open-loop read load through the local and the remote accessor.
   *
   * @param p50Ratio local p50 / remote p50; the goal is at most {@code goalRatio}
   * @param verdict met, not met, or why the run cannot judge the goal (an accessor that did not
   *     sustain the rate measured a queue)
   */
  record ReadLatency(
      String shard,
      int secretsOnShard,
      double targetRate,
      double seconds,
      double warmupSeconds,
      int readerThreads,
      ReadRun local,
      ReadRun remote,
      double p50Ratio,
      double p99Ratio,
      double goalRatio,
      boolean goalMet,
      String verdict) {}

  /**
   * One target's closed-loop run.
   *
   * @param latency send → answer; closed loop, so service time at saturation
   * @param clientShare the load generator's share of all CPU time used on the machine
   */
  record ThroughputRun(
      String target,
      long requests,
      long errors,
      double requestsPerSecond,
      Summary latency,
      Machine.Usage usage,
      Double clientShare) {}

  /**
   * P2: authenticated, decrypting reads against the bare endpoint, same concurrency.
   *
   * @param ratio coffer / bare requests per second
   */
  record ReadThroughput(
      String generator,
      String generatorNote,
      int connections,
      double seconds,
      double warmupSeconds,
      ThroughputRun coffer,
      ThroughputRun bare,
      double ratio,
      double goalRatio,
      double goalRequestsPerSecond,
      boolean goalMet) {}

  record Run(
      String startedAt,
      boolean smoke,
      List<String> arguments,
      String gitCommit,
      double clusterStartSeconds,
      double totalSeconds) {}

  /**
   * @param clientDuringRun this benchmark's own CPU use over the whole run: it shares the cores
   *     with the servers it measures
   */
  record MachineInfo(
      int cores,
      String cpuModel,
      Long memoryMiB,
      String java,
      String os,
      double[] loadAverageStart,
      double[] loadAverageEnd,
      Machine.Usage clientDuringRun,
      String note) {}

  record Cluster(
      int shards,
      int hostsPerShard,
      List<String> serverJvmOptions,
      boolean postgresFsync,
      int vaults,
      int secretsPerVault,
      int valueBytes) {}

  record Probe(
      String method,
      int everyNthWrite,
      double pollIntervalMs,
      long probedWrites,
      long unresolved,
      long requests,
      double requestsPerSecond,
      long remoteAnswers,
      long errors,
      Map<String, Long> errorKinds,
      int activeEveryNthWrite,
      double activePollIntervalMs,
      long activeProbedWrites,
      long activeUnresolved,
      long activeRequests) {}

  /**
   * The host's own {@code apply-lag-ms} histogram (event appended in the shard store to batch
   * applied), from its admin {@code /metrics}: percentiles over the last minute.
   */
  record HostApplyLag(
      String host, String shard, long count, double p50, double p99, double max, double mean) {}

  /**
   * Garbage collections a server's JVM ran during the phase, every collector together, from the
   * {@code jvm.gc.*} gauges of its admin {@code /metrics} read before and after: a stop-the-world
   * pause in a tailing host delays every event it would have applied meanwhile.
   */
  record Collections(String process, String role, long count, long millis) {}

  /**
   * PostgreSQL's own maintenance on a shard's server during the phase (see {@link
   * ShardMaintenance}).
   *
   * @param what autovacuum, autoanalyze or checkpoint; unreadable when the server's statistics
   *     could not be read
   * @param table the table vacuumed or analysed; null for a checkpoint
   * @param lastAtSeconds when the last of them began, in seconds after the phase began
   */
  record Maintenance(String shard, String what, String table, long count, Double lastAtSeconds) {}

  /**
   * @param appendToAllApplied per write, by the hosts' own clocks (each host's {@code GET
   *     /replication/apply-times} on its admin port, collected every second): appended to the
   *     shard's log (before its commit) → applied, on the slowest host of the cell. What the target
   *     is judged on: it holds no request's round trip
   * @param appendUntimed writes that some host gave no time for by the end of the collection:
   *     counted in appendToAllApplied from their commit to that end, a lower bound
   * @param applyTimesFailures requests for the hosts' apply times that failed (asked again)
   * @param commitToAllApplied per probed write: the last host's answer to the probe arrived, minus
   *     the moment the control plane's answer arrived — what a client that writes and then reads
   *     back from every host sees, including its read's round trip
   * @param intendedToAllApplied the same from the write's due time: includes the write itself and
   *     any queueing behind a stall
   * @param writeLatency due time to answer (open loop, so queueing is included)
   * @param writeServiceTime send to answer
   * @param collections each server's garbage collections during the phase
   * @param maintenance PostgreSQL's autovacuum, autoanalyze and checkpoints during the phase
   * @param writesNotSent writes still queued, or sent and still unanswered, when the phase's drain
   *     limit ran out (overload)
   * @param targetMet p99 of appendToAllApplied within the target, with every write sent and
   *     answered and the rate achieved: a run that could not offer the rate did not test it
   */
  record Replication(
      double targetRate,
      double achievedRate,
      double ratePerShard,
      double seconds,
      double warmupSeconds,
      int writerThreads,
      long writes,
      long writeErrors,
      long writesNotSent,
      Probe probe,
      Summary appendToAllApplied,
      Summary appendToEachHostApplied,
      long appendUntimed,
      long applyTimesFailures,
      Summary commitToAllApplied,
      Summary commitToEachHostApplied,
      Map<String, Summary> commitToAppliedByHost,
      Summary intendedToAllApplied,
      Summary writeLatency,
      Summary writeServiceTime,
      Summary commitToActive,
      List<HostApplyLag> hostApplyLag,
      List<Collections> collections,
      List<Maintenance> maintenance,
      double targetP99Ms,
      boolean targetMet,
      Machine.Usage usage,
      Map<String, Double> cpuMsPerWrite) {}

  /**
   * @param cpuMsPerWrite CPU milliseconds each role spent per completed write over the step
   */
  record Step(
      List<String> shards,
      int vaults,
      int threads,
      double seconds,
      long writes,
      long errors,
      double writesPerSecond,
      Summary latency,
      Machine.Usage usage,
      Map<String, Double> cpuMsPerWrite) {}

  /**
   * @param ratio all-shards writes/s over one-shard writes/s, both from this run
   */
  record Throughput(Step oneShard, Step allShards, double ratio) {}

  /**
   * @param replicaMiB size of the host's RocksDB directory on disk
   */
  record Memory(
      String process,
      String role,
      String shard,
      long pid,
      Double rssMiB,
      Double heapUsedMiB,
      Double replicaMiB) {}
}
