package dev.coffer.benchmark;

import dev.coffer.core.model.ShardId;
import dev.coffer.deployment.LocalCluster;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;

/**
 * Runs the phases against a started deployment, in their order: data set, P1, P2, memory, P3, P4.
 * The order matters: the read phases read the loaded data set, memory is taken with it loaded and
 * read, and the write phases come last because they add to it.
 */
final class PhaseRunner {
  /** Every phase's figures, and the raw latencies the plots draw. */
  record Measurements(
      Results.Cluster cluster,
      Results.DataSet dataSet,
      Results.ReadLatency readLatency,
      Results.ReadThroughput readThroughput,
      Results.Replication replication,
      Results.Throughput throughput,
      List<Results.Memory> memory,
      ResultsWriter.Curves curves) {}

  private final BenchmarkOptions options;
  private final List<String> jvm;
  private final PrintStream progress;

  PhaseRunner(BenchmarkOptions options, List<String> jvm, PrintStream progress) {
    this.options = options;
    this.jvm = jvm;
    this.progress = progress;
  }

  Measurements run(BenchmarkDeployment deployment) throws IOException, InterruptedException {
    LocalCluster cluster = deployment.cluster();
    try (Http writes = new Http("writes", cluster.adminToken(), Duration.ofSeconds(30));
        Http probes = new Http("probes", cluster.adminToken(), Duration.ofSeconds(10));
        Http reads = new Http("reads", cluster.adminToken(), Duration.ofSeconds(10))) {
      progress.printf("Deployment up in %.1f s; creating vaults ...%n", deployment.startSeconds());
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
              writes, cluster.controlPlaneUrl(), options.shards, options.dataSetShape());
      ClusterProcesses roles = new ClusterProcesses(cluster);
      ServerMetrics metrics = new ServerMetrics(writes, cluster);

      Results.DataSet dataSetFigures = load(dataSet, writes, cluster, roles);

      // P1: a host with the local accessor and one with the remote accessor, same shard and data.
      ShardId readShard = dataSet.shards().get(0);
      List<String> readPaths = dataSet.pathsOn(readShard);
      ReadLatencyComparison.Outcome p1 =
          new ReadLatencyComparison(
                  options, roles, reads, new ServerMetrics(reads, cluster), progress)
              .run(cluster, readShard, readPaths);

      // P2: the same host's reads against the bare endpoint, at the same concurrency.
      Results.ReadThroughput p2 =
          new ReadThroughputComparison(options, roles, reads, jvm, progress)
              .run(cluster, cluster.hostsOf(readShard).get(0), readPaths);

      // With the data set loaded and read: what a host holds.
      List<Results.Memory> memory = metrics.memory();

      ReplicationLagMeasurement lagPhase =
          new ReplicationLagMeasurement(
              options, cluster, roles, workload, writes, probes, metrics, progress);
      ReplicationLagMeasurement.Outcome p3 = lagPhase.run();
      Results.Throughput p4 =
          new WriteThroughputSteps(
                  options, roles, writes, cluster.controlPlaneUrl(), workload, progress)
              .run();

      return new Measurements(
          cluster(workload),
          dataSetFigures,
          p1.figures(),
          p2,
          lagPhase.figures(p3),
          p4,
          memory,
          new ResultsWriter.Curves(p3.lag(), p1.local(), p1.remote()));
    }
  }

  private Results.Cluster cluster(Workload workload) {
    return new Results.Cluster(
        options.shards,
        options.hostsPerShard,
        jvm,
        options.postgresFsync,
        workload.vaults().size(),
        options.secretsPerVault,
        options.valueBytes);
  }

  private Results.DataSet load(
      DataSet dataSet, Http writes, LocalCluster cluster, ClusterProcesses roles)
      throws InterruptedException {
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
    return new Results.DataSet(
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
  }
}
