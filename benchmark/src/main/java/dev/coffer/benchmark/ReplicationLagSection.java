package dev.coffer.benchmark;

import dev.coffer.benchmark.Latencies.Summary;
import java.util.Locale;
import java.util.Map;

/**
 * P3: replication lag, the hosts' own histograms, garbage collection and PostgreSQL maintenance.
 */
final class ReplicationLagSection implements ReportSection {
  @Override
  public void write(StringBuilder out, Results r) {
    Results.Replication p3 = r.replication();
    summary(out, p3);
    latencies(out, p3);
    verdict(out, p3);
    hostApplyLag(out, p3);
    collections(out, p3);
    maintenance(out, p3);
  }

  /** The load, its outcome and the probes. */
  private static void summary(StringBuilder out, Results.Replication p3) {
    Results.Probe probe = p3.probe();
    out.append(
        String.format(
            Locale.ROOT,
            "## Replication lag (P3)%n%nOpen loop at %s writes/s (achieved %.1f/s, %.1f/s per"
                + " shard) for %.0f s after %.0f s warm-up, %d writer threads: %d writes, %d"
                + " errors, %d not sent or not answered (backlog at the drain limit). Latency counts from each"
                + " write's due time. Every write's append → apply time on each host of its cell is"
                + " the host's own, collected from its admin port's `GET /replication/apply-times` every"
                + " second (%d failed requests). Read-back probe: `%s` on %s, %d probe requests"
                + " (%.0f/s), %d unresolved. ACTIVE probe: on %s, polled from every %.0f ms, %d"
                + " requests, %d unresolved. Unresolved probes count at the time they gave up (10 s,"
                + " or the end of the drain): a lower bound.%n%n",
            Numbers.plain(p3.targetRate()),
            p3.achievedRate(),
            p3.ratePerShard(),
            p3.seconds(),
            p3.warmupSeconds(),
            p3.writerThreads(),
            p3.writes(),
            p3.writeErrors(),
            p3.writesNotSent(),
            p3.applyTimesFailures(),
            probe.method(),
            nth(probe.everyNthWrite()),
            probe.requests(),
            probe.requestsPerSecond(),
            probe.unresolved(),
            nth(probe.activeEveryNthWrite()),
            probe.activePollIntervalMs(),
            probe.activeRequests(),
            probe.activeUnresolved()));
  }

  /** Every lag and latency figure, the target's first. */
  private static void latencies(StringBuilder out, Results.Replication p3) {
    out.append("| Measure (ms) | n | min | p50 | p90 | p99 | p99.9 | max |\n");
    out.append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
    row(
        out,
        "**appended → applied on every host of the cell (hosts' clocks)**",
        p3.appendToAllApplied());
    row(
        out,
        "appended → applied, each host separately (hosts' clocks)",
        p3.appendToEachHostApplied());
    row(out, "commit → read back from every host of the cell (client)", p3.commitToAllApplied());
    row(out, "commit → read back, each host separately (client)", p3.commitToEachHostApplied());
    for (Map.Entry<String, Summary> host : p3.commitToAppliedByHost().entrySet()) {
      row(out, "&nbsp;&nbsp;" + host.getKey(), host.getValue());
    }
    row(out, "due → applied on every host", p3.intendedToAllApplied());
    row(out, "write latency (due → answer)", p3.writeLatency());
    row(out, "write service time (sent → answer)", p3.writeServiceTime());
    row(out, "commit → ACTIVE (control plane)", p3.commitToActive());
    out.append('\n');
  }

  /** Issue 3's target, judged on the hosts' clocks. */
  private static void verdict(StringBuilder out, Results.Replication p3) {
    out.append(
        String.format(
            Locale.ROOT,
            "Issue 3 target, commit → applied on every host p99 ≤ %s ms at %s writes/s: **%s**"
                + " (p99 %.1f ms, appended → applied on the cell's slowest host by the hosts'"
                + " clocks; %d of %d writes without every host's time, counted from their commit to"
                + " the end of the collection). A client that reads each write back from every host sees p99"
                + " %.1f ms: that adds its own read's round trip on this busy machine, and starts"
                + " when the write's answer reached it rather than at the append.%n%n",
            Numbers.plain(p3.targetP99Ms()),
            Numbers.plain(p3.targetRate()),
            p3.targetMet() ? "met" : "not met",
            p3.appendToAllApplied().p99(),
            p3.appendUntimed(),
            p3.appendToAllApplied().count(),
            p3.commitToAllApplied().p99()));
  }

  /** Each host's own histogram. */
  private static void hostApplyLag(StringBuilder out, Results.Replication p3) {
    out.append(
            "Hosts' own `apply-lag-ms` (appended in the shard store → batch applied; last minute,")
        .append(" whole milliseconds):\n\n");
    out.append("| Host | shard | n (all time) | p50 | p99 | max | mean |\n");
    out.append("|---|---|---:|---:|---:|---:|---:|\n");
    for (Results.HostApplyLag h : p3.hostApplyLag()) {
      out.append(
          String.format(
              Locale.ROOT,
              "| %s | %s | %d | %.1f | %.1f | %.1f | %.1f |%n",
              h.host(),
              h.shard(),
              h.count(),
              h.p50(),
              h.p99(),
              h.max(),
              h.mean()));
    }
    out.append('\n');
  }

  /** Each server's garbage collections, when any server's could be read. */
  private static void collections(StringBuilder out, Results.Replication p3) {
    if (!p3.collections().isEmpty()) {
      out.append(
              "Garbage collection during the phase (every collector of each server's JVM, from its")
          .append(" `jvm.gc.*` metrics; stop-the-world with the servers' collector):\n\n");
      out.append("| Process | role | collections | total ms | mean ms |\n");
      out.append("|---|---|---:|---:|---:|\n");
      for (Results.Collections gc : p3.collections()) {
        out.append(
            String.format(
                Locale.ROOT,
                "| %s | %s | %d | %d | %s |%n",
                gc.process(),
                gc.role(),
                gc.count(),
                gc.millis(),
                gc.count() == 0
                    ? "–"
                    : String.format(Locale.ROOT, "%.1f", (double) gc.millis() / gc.count())));
      }
      out.append('\n');
    }
  }

  /** Autovacuum, autoanalyze and checkpoints on the shards' servers. */
  private static void maintenance(StringBuilder out, Results.Replication p3) {
    out.append("PostgreSQL's own maintenance on the shards' servers during the phase: ");
    if (p3.maintenance().isEmpty()) {
      out.append("no autovacuum, autoanalyze or checkpoint.\n\n");
    } else {
      out.append("\n\n| Shard | what | table | runs | last began (s into the phase) |\n");
      out.append("|---|---|---|---:|---:|\n");
      for (Results.Maintenance m : p3.maintenance()) {
        out.append(
            String.format(
                Locale.ROOT,
                "| %s | %s | %s | %d | %s |%n",
                m.shard(),
                m.what(),
                m.table() == null ? "–" : m.table(),
                m.count(),
                m.lastAtSeconds() == null
                    ? "–"
                    : String.format(Locale.ROOT, "%.1f", m.lastAtSeconds())));
      }
      out.append('\n');
    }
  }

  private static void row(StringBuilder out, String name, Summary s) {
    out.append(
        String.format(
            Locale.ROOT,
            "| %s | %d | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f |%n",
            name,
            s.count(),
            s.min(),
            s.p50(),
            s.p90(),
            s.p99(),
            s.p999(),
            s.max()));
  }

  private static String nth(int n) {
    if (n <= 0) {
      return "no writes";
    }
    return n == 1 ? "every write" : "1 in " + n + " writes";
  }
}
