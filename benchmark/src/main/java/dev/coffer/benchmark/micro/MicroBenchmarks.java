package dev.coffer.benchmark.micro;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/** Runs the microbenchmarks of this package with JMH and returns one figure per benchmark. */
public final class MicroBenchmarks {
  /**
   * One benchmark's result.
   *
   * @param score average time per operation in {@code unit}
   * @param scoreError half-width of JMH's 99.9% confidence interval (NaN with one iteration)
   */
  public record Figure(
      String benchmark,
      Map<String, String> params,
      String mode,
      double score,
      double scoreError,
      String unit,
      long iterations) {}

  /**
   * How long to run.
   *
   * @param forks 0 runs in this JVM (quick checks only: shares its heap and JIT with the harness)
   */
  public record Settings(
      int forks,
      int warmupIterations,
      double warmupSeconds,
      int iterations,
      double iterationSeconds,
      List<String> jvmOptions,
      Map<String, String> params) {
    public static Settings full(List<String> jvmOptions) {
      return new Settings(1, 3, 2, 5, 2, jvmOptions, Map.of());
    }

    /** Seconds in all, with a small store: proves the benchmarks run, their figures mean little. */
    public static Settings smoke() {
      return new Settings(0, 0, 0, 1, 0.2, List.of(), Map.of("secrets", "1000"));
    }
  }

  private MicroBenchmarks() {}

  /** Runs every benchmark of this package; JMH's own JSON goes to {@code jsonFile}. */
  public static List<Figure> run(Settings settings, Path jsonFile) throws RunnerException {
    ChainedOptionsBuilder options =
        new OptionsBuilder()
            .include(MicroBenchmarks.class.getPackageName() + "\\..*Benchmark\\..*")
            .forks(settings.forks())
            .warmupIterations(settings.warmupIterations())
            .measurementIterations(settings.iterations())
            .measurementTime(millis(settings.iterationSeconds()))
            .threads(1)
            .shouldFailOnError(true)
            .resultFormat(ResultFormatType.JSON)
            .result(jsonFile.toString());
    settings.params().forEach(options::param);
    if (settings.warmupIterations() > 0) {
      options.warmupTime(millis(settings.warmupSeconds()));
    }
    if (settings.forks() > 0 && !settings.jvmOptions().isEmpty()) {
      options.jvmArgs(settings.jvmOptions().toArray(String[]::new));
    }
    // JMH's progress goes to stderr with the harness's own: stdout carries only the report.
    Collection<RunResult> results =
        new Runner(
                options.build(),
                OutputFormatFactory.createFormatInstance(System.err, VerboseMode.NORMAL))
            .run();
    List<Figure> figures = new ArrayList<>();
    for (RunResult run : results) {
      Result<?> primary = run.getPrimaryResult();
      Map<String, String> params = new TreeMap<>();
      if (run.getParams() != null) {
        for (String key : run.getParams().getParamsKeys()) {
          params.put(key, run.getParams().getParam(key));
        }
      }
      String name = run.getParams().getBenchmark();
      figures.add(
          new Figure(
              name.substring(name.lastIndexOf('.', name.lastIndexOf('.') - 1) + 1),
              params,
              run.getParams().getMode().shortLabel(),
              primary.getScore(),
              primary.getScoreError(),
              primary.getScoreUnit(),
              primary.getSampleCount()));
    }
    figures.sort(java.util.Comparator.comparing(Figure::benchmark));
    return figures;
  }

  private static TimeValue millis(double seconds) {
    return TimeValue.milliseconds(Math.max(1, Math.round(seconds * 1000)));
  }
}
