package dev.coffer.benchmark;

import dev.coffer.dataplane.DataPlaneConfiguration.ReadAccessor;
import dev.coffer.deployment.LocalCluster;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The local deployment a run measures, started with its own temporary directory when PostgreSQL is
 * durable, and stopped on close or when the JVM is interrupted (Ctrl-C must not leave PostgreSQL
 * servers and JVMs running).
 */
final class BenchmarkDeployment implements AutoCloseable {
  private final LocalCluster cluster;
  private final Path directory;
  private final double startSeconds;
  private final AtomicBoolean stopped = new AtomicBoolean();
  private final Thread hook = new Thread(this::stop, "benchmark-shutdown");

  private BenchmarkDeployment(LocalCluster cluster, Path directory, double startSeconds) {
    this.cluster = cluster;
    this.directory = directory;
    this.startSeconds = startSeconds;
    Runtime.getRuntime().addShutdownHook(hook);
  }

  static BenchmarkDeployment start(BenchmarkOptions options, List<String> jvm, PrintStream progress)
      throws IOException {
    // Traversable by others: as root, PostgreSQL runs as an unprivileged user and must reach its
    // data directory inside; nothing can be listed or read here without further permissions.
    Path directory =
        options.postgresFsync
            ? Files.createTempDirectory(
                "coffer-benchmark-cluster-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx--x--x")))
            : null;
    progress.printf(
        "Starting a deployment: %d shard(s) x %d host(s), PostgreSQL fsync %s ...%n",
        options.shards, options.hostsPerShard, options.postgresFsync ? "on" : "off");
    long starting = System.nanoTime();
    LocalCluster cluster;
    try {
      cluster =
          LocalCluster.start(
              new LocalCluster.Options(
                  directory, 0, options.shards, options.hostsPerShard, ReadAccessor.LOCAL, jvm));
    } catch (RuntimeException e) {
      if (directory != null) {
        LocalCluster.deleteRecursively(directory);
      }
      throw e;
    }
    return new BenchmarkDeployment(
        cluster, directory, Machine.round3((System.nanoTime() - starting) / 1e9));
  }

  LocalCluster cluster() {
    return cluster;
  }

  double startSeconds() {
    return startSeconds;
  }

  /** The directory of the durable PostgreSQL servers, or null when the test servers are used. */
  Path directory() {
    return directory;
  }

  @Override
  public void close() {
    stop();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // Already shutting down: the hook is running or has run.
    }
  }

  private void stop() {
    if (stopped.compareAndSet(false, true)) {
      cluster.close();
      if (directory != null) {
        LocalCluster.deleteRecursively(directory);
      }
    }
  }
}
