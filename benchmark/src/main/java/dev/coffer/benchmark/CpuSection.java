package dev.coffer.benchmark;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Where the CPU went, per role and phase. */
final class CpuSection implements ReportSection {
  @Override
  public void write(StringBuilder out, Results r) {
    Results.Replication p3 = r.replication();
    Results.Throughput t = r.throughput();
    out.append("## Where the CPU went\n\n");
    out.append(
        "Cores used by each role over the phase (CPU ms per completed write or read in"
            + " brackets); other work is everything else on the machine. The client includes the"
            + " wrk processes it ran. P3 includes the probes.\n\n");
    List<String> roles =
        List.of(
            ClusterProcesses.CLIENT,
            ClusterProcesses.CONTROL_PLANE,
            ClusterProcesses.HOSTS,
            ClusterProcesses.REMOTE_HOST,
            ClusterProcesses.BARE_ENDPOINT,
            ClusterProcesses.POSTGRES,
            "other work");
    out.append("| Phase | ").append(String.join(" | ", roles)).append(" | machine busy |\n");
    out.append("|---|").append("---:|".repeat(roles.size() + 1)).append('\n');
    Results.DataSet d = r.dataSet();
    cpuRow(
        out,
        "data-set load (per write)",
        roles,
        d.usage(),
        Machine.cpuMsPer(d.usage(), d.versions()));
    Results.ReadLatency p1 = r.readLatency();
    for (Results.ReadRun run : List.of(p1.local(), p1.remote())) {
      cpuRow(
          out,
          "P1 " + run.accessor() + " reads (per read)",
          roles,
          run.usage(),
          Machine.cpuMsPer(run.usage(), run.reads()));
    }
    Results.ReadThroughput p2 = r.readThroughput();
    for (Results.ThroughputRun run : List.of(p2.bare(), p2.coffer())) {
      cpuRow(
          out,
          "P2 " + run.target() + " (per read)",
          roles,
          run.usage(),
          Machine.cpuMsPer(run.usage(), run.requests()));
    }
    cpuRow(out, "P3 open loop", roles, p3.usage(), p3.cpuMsPerWrite());
    cpuRow(out, "P4 one shard", roles, t.oneShard().usage(), t.oneShard().cpuMsPerWrite());
    cpuRow(out, "P4 all shards", roles, t.allShards().usage(), t.allShards().cpuMsPerWrite());
    out.append('\n');
  }

  private static void cpuRow(
      StringBuilder out,
      String phase,
      List<String> roles,
      Machine.Usage usage,
      Map<String, Double> perWrite) {
    out.append("| ").append(phase).append(" |");
    for (String role : roles) {
      Double cores = usage.coresByRole().get(role);
      Double ms = perWrite.get(role);
      out.append(' ')
          .append(
              cores == null
                  ? "–"
                  : String.format(Locale.ROOT, "%.2f (%s)", cores, ms == null ? "–" : fmt3(ms)))
          .append(" |");
    }
    out.append(' ').append(Numbers.percent(usage.machineBusy())).append(" |\n");
  }

  private static String fmt3(double v) {
    return String.format(Locale.ROOT, v < 1 ? "%.3f" : "%.2f", v);
  }
}
