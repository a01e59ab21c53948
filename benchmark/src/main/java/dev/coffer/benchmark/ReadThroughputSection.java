package dev.coffer.benchmark;

import java.util.List;
import java.util.Locale;

/** P2: read throughput of a host against the bare endpoint. */
final class ReadThroughputSection implements ReportSection {
  @Override
  public void write(StringBuilder out, Results r) {
    Results.ReadThroughput p2 = r.readThroughput();
    out.append("## Read throughput vs a bare endpoint (P2)\n\n");
    out.append(
        String.format(
            Locale.ROOT,
            "Closed loop, %d connections, %.0f s per target after %.0f s warm-up; load from %s."
                + " Coffer: authenticated reads of random secrets, decrypted, from a host's"
                + " replica. Bare: the same Dropwizard stack and HTTP conventions (bearer token"
                + " checked, JSON, no-store) answering a constant secret of the same size, no store"
                + " and no crypto, in its own JVM with the hosts' options.%n%n",
            p2.connections(),
            p2.seconds(),
            p2.warmupSeconds(),
            p2.generatorNote()));
    out.append(
        "| Target | requests | **req/s** | p50 ms | p99 ms | errors | client CPU share | machine"
            + " busy |\n");
    out.append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
    for (Results.ThroughputRun run : List.of(p2.coffer(), p2.bare())) {
      out.append(
          String.format(
              Locale.ROOT,
              "| %s | %d | **%.0f** | %.2f | %.2f | %d | %s | %s |%n",
              run.target(),
              run.requests(),
              run.requestsPerSecond(),
              run.latency().p50(),
              run.latency().p99(),
              run.errors(),
              Numbers.percent(run.clientShare()),
              Numbers.percent(run.usage().machineBusy())));
    }
    out.append(
        String.format(
            Locale.ROOT,
            "%nRatio Coffer / bare: **%.2f**. Goal ≥ %.0f%% of bare and ≥ %s req/s: **%s**.%n%n",
            p2.ratio(),
            p2.goalRatio() * 100,
            Numbers.plain(p2.goalRequestsPerSecond()),
            p2.goalMet() ? "met" : "not met"));
  }
}
