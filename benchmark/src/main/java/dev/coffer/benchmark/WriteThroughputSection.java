package dev.coffer.benchmark;

import java.util.Locale;

/** P4: write throughput on one shard and on all shards. */
final class WriteThroughputSection implements ReportSection {
  @Override
  public void write(StringBuilder out, Results r) {
    Results.Throughput t = r.throughput();
    out.append(
        String.format(
            Locale.ROOT,
            "## Write throughput (P4)%n%nClosed loop, %d threads, %.0f s per step.%n%n",
            t.oneShard().threads(),
            t.oneShard().seconds()));
    out.append("| Vaults on | writes | writes/s | p50 ms | p99 ms | errors | machine busy |\n");
    out.append("|---|---:|---:|---:|---:|---:|---:|\n");
    step(out, "one shard (" + String.join(", ", t.oneShard().shards()) + ")", t.oneShard());
    step(out, "all shards (" + String.join(", ", t.allShards().shards()) + ")", t.allShards());
    out.append(
        String.format(Locale.ROOT, "| **ratio all / one** | | **%.2f** | | | | |%n%n", t.ratio()));
  }

  private static void step(StringBuilder out, String name, Results.Step s) {
    out.append(
        String.format(
            Locale.ROOT,
            "| %s | %d | %.1f | %.1f | %.1f | %d | %s |%n",
            name,
            s.writes(),
            s.writesPerSecond(),
            s.latency().p50(),
            s.latency().p99(),
            s.errors(),
            Numbers.percent(s.usage().machineBusy())));
  }
}
