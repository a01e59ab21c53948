package dev.coffer.benchmark;

import dev.coffer.benchmark.Latencies.Summary;
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
    Replication replication,
    Throughput throughput,
    List<Memory> memory) {

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
   * @param commitToAllApplied per probed write: last host of the cell to apply it, minus the moment
   *     the control plane's answer arrived
   * @param intendedToAllApplied the same from the write's due time: includes the write itself and
   *     any queueing behind a stall
   * @param writeLatency due time to answer (open loop, so queueing is included)
   * @param writeServiceTime send to answer
   * @param writesNotSent writes still queued when the phase's drain limit ran out (overload)
   * @param targetMet p99 of commitToAllApplied within the target, with every write sent and
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
      Summary commitToAllApplied,
      Summary commitToEachHostApplied,
      Map<String, Summary> commitToAppliedByHost,
      Summary intendedToAllApplied,
      Summary writeLatency,
      Summary writeServiceTime,
      Summary commitToActive,
      List<HostApplyLag> hostApplyLag,
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

  record Memory(
      String process, String role, String shard, long pid, Double rssMiB, Double heapUsedMiB) {}
}
