package dev.coffer.benchmark;

import dev.coffer.benchmark.Latencies.Summary;
import java.util.List;
import java.util.Locale;

/** P1: read latency through the local and the remote accessor, client and server side. */
final class ReadLatencySection implements ReportSection {
  @Override
  public void write(StringBuilder out, Results r) {
    Results.ReadLatency p1 = r.readLatency();
    summary(out, p1);
    clientSide(out, p1);
    serverSide(out, p1);
    ratios(out, p1);
  }

  /** The load and what the two hosts read. */
  private static void summary(StringBuilder out, Results.ReadLatency p1) {
    out.append("## Read latency, local vs remote accessor (P1)\n\n");
    out.append(
        String.format(
            Locale.ROOT,
            "Open loop at %s reads/s per accessor for %.0f s each (after %.0f s warm-up each), %d"
                + " reader threads, random secrets of %s (%d secrets), latest version. Latency"
                + " counts from each read's due time, so queueing in the client is included."
                + " Both hosts run on this machine and read the same data: the local accessor from"
                + " its RocksDB replica, the remote one from the shard's PostgreSQL store.%n%n",
            Numbers.plain(p1.targetRate()),
            p1.seconds(),
            p1.warmupSeconds(),
            p1.readerThreads(),
            p1.shard(),
            p1.secretsOnShard()));
  }

  /** Latency from each read's due time, per accessor. */
  private static void clientSide(StringBuilder out, Results.ReadLatency p1) {
    out.append(
        "| Accessor (ms) | host | reads/s | n | min | p50 | p90 | p99 | p99.9 | max | errors |"
            + " client CPU share |\n");
    out.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (Results.ReadRun run : List.of(p1.local(), p1.remote())) {
      Summary l = run.latency();
      out.append(
          String.format(
              Locale.ROOT,
              "| **%s** | %s | %.1f | %d | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %d | %s |%n",
              run.accessor(),
              run.host(),
              run.achievedRate(),
              l.count(),
              l.min(),
              l.p50(),
              l.p90(),
              l.p99(),
              l.p999(),
              l.max(),
              run.errors() + run.notSent(),
              Numbers.percent(run.clientShare())));
    }
  }

  /** The hosts' own request timers. */
  private static void serverSide(StringBuilder out, Results.ReadLatency p1) {
    out.append(
        "\nThe hosts' own view (Jetty's timer of GET requests, request in → response out, no"
            + " client and no network; decaying sample of mostly this run), ms:\n\n");
    out.append(
        "| Accessor | n (all time) | mean | p50 | p99 | p99.9 |\n|---|---:|---:|---:|---:|---:|\n");
    for (Results.ReadRun run : List.of(p1.local(), p1.remote())) {
      Results.ServerTime t = run.serverTime();
      out.append(
          t == null
              ? "| " + run.accessor() + " | n/a | | | | |\n"
              : String.format(
                  Locale.ROOT,
                  "| %s | %d | %.2f | %.2f | %.2f | %.2f |%n",
                  run.accessor(),
                  t.count(),
                  t.mean(),
                  t.p50(),
                  t.p99(),
                  t.p999()));
    }
  }

  /** Local over remote, and the goal's verdict. */
  private static void ratios(StringBuilder out, Results.ReadLatency p1) {
    Results.ServerTime ls = p1.local().serverTime();
    Results.ServerTime rs = p1.remote().serverTime();
    if (ls != null && rs != null && rs.p50() > 0) {
      out.append(
          String.format(
              Locale.ROOT, "%nServer-side ratio local / remote: p50 %.2f.%n", ls.p50() / rs.p50()));
    }
    out.append(
        String.format(
            Locale.ROOT,
            "%nRatio local / remote (client-side, due → answer): **p50 %.2f**, p99 %.2f. Goal local p50 ≤ %.0f%% of remote:"
                + " **%s**.%s%n%n",
            p1.p50Ratio(),
            p1.p99Ratio(),
            p1.goalRatio() * 100,
            p1.verdict(),
            p1.local().notServedAsExpected() + p1.remote().notServedAsExpected() > 0
                ? String.format(
                    Locale.ROOT,
                    " Answers not from the expected store: local %d, remote %d.",
                    p1.local().notServedAsExpected(),
                    p1.remote().notServedAsExpected())
                : ""));
  }
}
