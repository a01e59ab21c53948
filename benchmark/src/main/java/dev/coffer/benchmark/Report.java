package dev.coffer.benchmark;

import dev.coffer.benchmark.micro.MicroBenchmarks;
import java.util.List;
import java.util.Locale;

/**
 * The Markdown of a run, as printed and as written to {@code results.md}: a heading naming the run,
 * then one section per phase in the order they ran, then where the CPU went, memory, the
 * microbenchmarks and the machine.
 */
final class Report {
  private static final List<ReportSection> SECTIONS =
      List.of(
          new DataSetSection(),
          new ReadLatencySection(),
          new ReadThroughputSection(),
          new ReplicationLagSection(),
          new WriteThroughputSection(),
          new CpuSection(),
          new MemorySection(),
          new MicroSection(),
          new MachineSection());

  private Report() {}

  static String markdown(Results r) {
    StringBuilder out = new StringBuilder();
    Results.Cluster c = r.cluster();
    out.append("# Coffer benchmark")
        .append(r.run().smoke() ? " (smoke: tiny, not a measurement)" : "")
        .append("\n\n");
    out.append(
            String.format(
                Locale.ROOT,
                "Run %s; %d shard(s) × %d host(s); PostgreSQL fsync %s; server JVMs `%s`.%n",
                r.run().startedAt(),
                c.shards(),
                c.hostsPerShard(),
                c.postgresFsync() ? "on" : "off",
                String.join(" ", c.serverJvmOptions())))
        .append(
            String.format(
                Locale.ROOT,
                "Command: `benchmark/run %s`%n%n",
                String.join(" ", r.run().arguments())));
    for (ReportSection section : SECTIONS) {
      section.write(out, r);
    }
    return out.toString();
  }

  /** A table of the JMH figures alone, for {@code --micro-only}. */
  static String micro(List<MicroBenchmarks.Figure> figures, boolean smoke) {
    StringBuilder out = new StringBuilder();
    out.append("# Coffer microbenchmarks")
        .append(smoke ? " (smoke: one short iteration, not a measurement)" : "")
        .append("\n\n");
    MicroSection.table(out, figures);
    return out.toString();
  }
}
