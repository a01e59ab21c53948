package dev.coffer.benchmark;

import dev.coffer.benchmark.micro.MicroBenchmarks;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
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
    ResultsWriter writer = new ResultsWriter(outDirectory);
    List<String> jvm = options.serverJvm();
    if (options.microOnly) {
      return finished(writer.writeMicroOnly(micro(outDirectory, jvm), options.smoke), outDirectory);
    }
    double[] loadStart = Machine.loadAverage();
    Machine.CpuWindow wholeRun = new Machine.CpuWindow();
    double clusterStartSeconds;
    PhaseRunner.Measurements measured;
    try (BenchmarkDeployment deployment = BenchmarkDeployment.start(options, jvm, progress)) {
      clusterStartSeconds = deployment.startSeconds();
      measured = new PhaseRunner(options, jvm, progress).run(deployment);
      progress.println("Stopping the deployment ...");
    }
    List<MicroBenchmarks.Figure> microFigures =
        options.micro ? micro(outDirectory, jvm) : List.of();
    Results results =
        new Results(
            new Results.Run(
                startedAt.truncatedTo(ChronoUnit.MILLIS).toString(),
                options.smoke,
                spec.commandLine().getParseResult().originalArgs(),
                gitCommit(),
                clusterStartSeconds,
                Machine.round3(Duration.between(startedAt, Instant.now()).toMillis() / 1e3)),
            machine(loadStart, wholeRun),
            measured.cluster(),
            measured.dataSet(),
            measured.readLatency(),
            measured.readThroughput(),
            measured.replication(),
            measured.throughput(),
            measured.memory(),
            microFigures);
    return finished(writer.write(results, measured.curves()), outDirectory);
  }

  private int finished(String markdown, Path outDirectory) {
    System.out.println(markdown);
    progress.println("Results written to " + outDirectory);
    return 0;
  }

  private static Results.MachineInfo machine(double[] loadStart, Machine.CpuWindow wholeRun) {
    return new Results.MachineInfo(
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
            + " this machine's, not the design's.");
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
}
