package dev.coffer.benchmark;

import dev.coffer.benchmark.micro.MicroBenchmarks;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** The JMH microbenchmarks' figures, when they ran. */
final class MicroSection implements ReportSection {
  @Override
  public void write(StringBuilder out, Results r) {
    table(out, r.micro());
  }

  static void table(StringBuilder out, List<MicroBenchmarks.Figure> f) {
    if (f == null || f.isEmpty()) {
      return;
    }
    out.append("## Microbenchmarks (JMH)\n\n");
    out.append(
        "Average time per operation, one thread; a full run forks a JVM with the servers' options"
            + " (`micro.json` has JMH's full output and settings). ± is JMH's 99.9% confidence"
            + " half-width. The apply figure is per batch and includes RocksDB's synced write.\n\n");
    out.append("| Benchmark | parameters | time per op | ops/s |\n|---|---|---:|---:|\n");
    for (MicroBenchmarks.Figure m : f) {
      double perSecond = opsPerSecond(m.score(), m.unit());
      out.append(
          String.format(
              Locale.ROOT,
              "| %s | %s | %s %s | %s |%n",
              m.benchmark(),
              m.params().entrySet().stream()
                  .map(e -> e.getKey() + "=" + e.getValue())
                  .collect(Collectors.joining(", ")),
              Double.isNaN(m.scoreError())
                  ? String.format(Locale.ROOT, "%.3f", m.score())
                  : String.format(Locale.ROOT, "%.3f ± %.3f", m.score(), m.scoreError()),
              m.unit(),
              perSecond > 0 ? String.format(Locale.ROOT, "%.0f", perSecond) : "n/a"));
    }
    out.append('\n');
  }

  private static double opsPerSecond(double score, String unit) {
    double seconds =
        switch (unit) {
          case "ns/op" -> score / 1e9;
          case "us/op" -> score / 1e6;
          case "ms/op" -> score / 1e3;
          case "s/op" -> score;
          default -> -1;
        };
    return seconds > 0 ? 1 / seconds : -1;
  }
}
