package dev.coffer.benchmark;

import dev.coffer.benchmark.Latencies.Summary;
import java.util.Locale;
import java.util.Map;

/** The Markdown tables of a run, as printed and as written to {@code results.md}. */
final class Report {
  private Report() {}

  static String markdown(Results r) {
    StringBuilder out = new StringBuilder();
    Results.Replication p3 = r.replication();
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
        .append(String.format(Locale.ROOT, "Command: `benchmark/run %s`%n%n", args(r)));

    Results.Probe probe = p3.probe();
    out.append(
        String.format(
            Locale.ROOT,
            "## Replication lag (P3)%n%nOpen loop at %s writes/s (achieved %.1f/s, %.1f/s per"
                + " shard) for %.0f s after %.0f s warm-up, %d writer threads: %d writes, %d"
                + " errors, %d not sent (backlog at the drain limit). Latency counts from each"
                + " write's due time. Apply probe: `%s` on %s, %d probe requests (%.0f/s), %d"
                + " unresolved. ACTIVE probe: on %s, polled from every %.0f ms, %d requests, %d unresolved."
                + " Unresolved writes count at the time their probe gave up (10 s, or the end of"
                + " the drain): a lower bound.%n%n",
            num(p3.targetRate()),
            p3.achievedRate(),
            p3.ratePerShard(),
            p3.seconds(),
            p3.warmupSeconds(),
            p3.writerThreads(),
            p3.writes(),
            p3.writeErrors(),
            p3.writesNotSent(),
            probe.method(),
            nth(probe.everyNthWrite()),
            probe.requests(),
            probe.requestsPerSecond(),
            probe.unresolved(),
            nth(probe.activeEveryNthWrite()),
            probe.activePollIntervalMs(),
            probe.activeRequests(),
            probe.activeUnresolved()));
    out.append("| Measure (ms) | n | min | p50 | p90 | p99 | p99.9 | max |\n");
    out.append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
    row(out, "**commit → applied on every host of the cell**", p3.commitToAllApplied());
    row(out, "commit → applied, each host separately", p3.commitToEachHostApplied());
    for (Map.Entry<String, Summary> host : p3.commitToAppliedByHost().entrySet()) {
      row(out, "&nbsp;&nbsp;" + host.getKey(), host.getValue());
    }
    row(out, "due → applied on every host", p3.intendedToAllApplied());
    row(out, "write latency (due → answer)", p3.writeLatency());
    row(out, "write service time (sent → answer)", p3.writeServiceTime());
    row(out, "commit → ACTIVE (control plane)", p3.commitToActive());
    out.append('\n');
    out.append(
        String.format(
            Locale.ROOT,
            "Issue 3 target, commit → applied on every host p99 ≤ %s ms at %s writes/s: **%s**"
                + " (p99 %.1f ms).%n%n",
            num(p3.targetP99Ms()),
            num(p3.targetRate()),
            p3.targetMet() ? "met" : "not met",
            p3.commitToAllApplied().p99()));
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

    out.append("## Where the CPU went\n\n");
    out.append(
        "Cores used by each role over the phase (CPU ms per completed write in brackets); other"
            + " work is everything else on the machine. P3 includes the probes.\n\n");
    java.util.List<String> roles =
        java.util.List.of(
            ClusterProcesses.CLIENT,
            ClusterProcesses.CONTROL_PLANE,
            ClusterProcesses.HOSTS,
            ClusterProcesses.POSTGRES,
            "other work");
    out.append("| Phase | ").append(String.join(" | ", roles)).append(" | machine busy |\n");
    out.append("|---|").append("---:|".repeat(roles.size() + 1)).append('\n');
    cpuRow(out, "P3 open loop", roles, p3.usage(), p3.cpuMsPerWrite());
    cpuRow(out, "P4 one shard", roles, t.oneShard().usage(), t.oneShard().cpuMsPerWrite());
    cpuRow(out, "P4 all shards", roles, t.allShards().usage(), t.allShards().cpuMsPerWrite());
    out.append('\n');

    out.append("## Memory after the load\n\n");
    out.append("| Process | role | RSS MiB | heap used MiB |\n|---|---|---:|---:|\n");
    for (Results.Memory m : r.memory()) {
      out.append(
          String.format(
              Locale.ROOT,
              "| %s | %s | %s | %s |%n",
              m.process(),
              m.role(),
              m.rssMiB() == null ? "n/a" : String.format(Locale.ROOT, "%.1f", m.rssMiB()),
              m.heapUsedMiB() == null
                  ? "n/a"
                  : String.format(Locale.ROOT, "%.1f", m.heapUsedMiB())));
    }
    out.append('\n');

    Results.MachineInfo mi = r.machine();
    out.append("## Machine\n\n");
    out.append("| | |\n|---|---|\n");
    out.append(
        String.format(
            Locale.ROOT,
            "| cores | %d (%s) |%n",
            mi.cores(),
            mi.cpuModel() == null ? "model unknown" : mi.cpuModel()));
    out.append(
        String.format(
            Locale.ROOT,
            "| memory | %s MiB |%n",
            mi.memoryMiB() == null ? "n/a" : mi.memoryMiB().toString()));
    out.append("| Java | ").append(mi.java()).append(" |\n");
    out.append("| OS | ").append(mi.os()).append(" |\n");
    out.append(
        String.format(
            Locale.ROOT,
            "| load average (1/5/15 min) | start %s, end %s |%n",
            load(mi.loadAverageStart()),
            load(mi.loadAverageEnd())));
    out.append(
        String.format(
            Locale.ROOT,
            "| benchmark client CPU | %.2f cores over the whole run; %.2f during P3 |%n",
            mi.clientDuringRun().clientCores(),
            p3.usage().clientCores()));
    out.append(
        String.format(
            Locale.ROOT, "| machine busy during P3 | %s |%n", percent(p3.usage().machineBusy())));
    out.append("\n").append(mi.note()).append('\n');
    return out.toString();
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
            percent(s.usage().machineBusy())));
  }

  private static void cpuRow(
      StringBuilder out,
      String phase,
      java.util.List<String> roles,
      Machine.Usage usage,
      Map<String, Double> perWrite) {
    out.append("| ").append(phase).append(" |");
    for (String role : roles) {
      Double cores = usage.coresByRole().get(role);
      Double ms = perWrite.get(role);
      out.append(' ')
          .append(
              cores == null
                  ? "n/a"
                  : String.format(Locale.ROOT, "%.2f (%s)", cores, ms == null ? "–" : fmt2(ms)))
          .append(" |");
    }
    out.append(' ').append(percent(usage.machineBusy())).append(" |\n");
  }

  private static String fmt2(double v) {
    return String.format(Locale.ROOT, "%.2f", v);
  }

  private static String percent(Double share) {
    return share == null ? "n/a" : String.format(Locale.ROOT, "%.0f%%", share * 100);
  }

  private static String load(double[] l) {
    return String.format(Locale.ROOT, "%.2f / %.2f / %.2f", l[0], l[1], l[2]);
  }

  private static String nth(int n) {
    if (n <= 0) {
      return "no writes";
    }
    return n == 1 ? "every write" : "1 in " + n + " writes";
  }

  private static String num(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }

  private static String args(Results r) {
    return String.join(" ", r.run().arguments());
  }
}
