package dev.coffer.benchmark;

import dev.coffer.benchmark.Latencies.Summary;
import dev.coffer.benchmark.micro.MicroBenchmarks;
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

    dataSet(out, r.dataSet());
    readLatency(out, r.readLatency());
    readThroughput(out, r.readThroughput());

    Results.Probe probe = p3.probe();
    out.append(
        String.format(
            Locale.ROOT,
            "## Replication lag (P3)%n%nOpen loop at %s writes/s (achieved %.1f/s, %.1f/s per"
                + " shard) for %.0f s after %.0f s warm-up, %d writer threads: %d writes, %d"
                + " errors, %d not sent or not answered (backlog at the drain limit). Latency counts from each"
                + " write's due time. Every write's append → apply time on each host of its cell is"
                + " the host's own, collected from its `GET /v1/replication/apply-times` every"
                + " second (%d failed requests). Read-back probe: `%s` on %s, %d probe requests"
                + " (%.0f/s), %d unresolved. ACTIVE probe: on %s, polled from every %.0f ms, %d"
                + " requests, %d unresolved. Unresolved probes count at the time they gave up (10 s,"
                + " or the end of the drain): a lower bound.%n%n",
            num(p3.targetRate()),
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
    out.append(
        String.format(
            Locale.ROOT,
            "Issue 3 target, commit → applied on every host p99 ≤ %s ms at %s writes/s: **%s**"
                + " (p99 %.1f ms, appended → applied on the cell's slowest host by the hosts'"
                + " clocks; %d of %d writes without every host's time, counted from their commit to"
                + " the end of the collection). A client that reads each write back from every host sees p99"
                + " %.1f ms: that adds its own read's round trip on this busy machine, and starts"
                + " when the write's answer reached it rather than at the append.%n%n",
            num(p3.targetP99Ms()),
            num(p3.targetRate()),
            p3.targetMet() ? "met" : "not met",
            p3.appendToAllApplied().p99(),
            p3.appendUntimed(),
            p3.appendToAllApplied().count(),
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
        "Cores used by each role over the phase (CPU ms per completed write or read in"
            + " brackets); other work is everything else on the machine. The client includes the"
            + " wrk processes it ran. P3 includes the probes.\n\n");
    java.util.List<String> roles =
        java.util.List.of(
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
        out, "data-set load (per write)", roles, d.usage(), perOperation(d.usage(), d.versions()));
    Results.ReadLatency p1 = r.readLatency();
    for (Results.ReadRun run : java.util.List.of(p1.local(), p1.remote())) {
      cpuRow(
          out,
          "P1 " + run.accessor() + " reads (per read)",
          roles,
          run.usage(),
          perOperation(run.usage(), run.reads()));
    }
    Results.ReadThroughput p2 = r.readThroughput();
    for (Results.ThroughputRun run : java.util.List.of(p2.bare(), p2.coffer())) {
      cpuRow(
          out,
          "P2 " + run.target() + " (per read)",
          roles,
          run.usage(),
          perOperation(run.usage(), run.requests()));
    }
    cpuRow(out, "P3 open loop", roles, p3.usage(), p3.cpuMsPerWrite());
    cpuRow(out, "P4 one shard", roles, t.oneShard().usage(), t.oneShard().cpuMsPerWrite());
    cpuRow(out, "P4 all shards", roles, t.allShards().usage(), t.allShards().cpuMsPerWrite());
    out.append('\n');

    out.append("## Memory with the data set loaded\n\n");
    out.append(
        "After the data set was loaded and read (P1, P2), before P3. RSS from `/proc`, heap in use"
            + " from the server's metrics, the replica's RocksDB files on disk.\n\n");
    out.append(
        "| Process | role | RSS MiB | heap used MiB | replica on disk MiB |\n"
            + "|---|---|---:|---:|---:|\n");
    for (Results.Memory m : r.memory()) {
      out.append(
          String.format(
              Locale.ROOT,
              "| %s | %s | %s | %s | %s |%n",
              m.process(),
              m.role(),
              mib(m.rssMiB()),
              mib(m.heapUsedMiB()),
              mib(m.replicaMiB())));
    }
    out.append('\n');
    microTable(out, r.micro());

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

  private static void dataSet(StringBuilder out, Results.DataSet d) {
    out.append("## Data set\n\n");
    out.append(
        String.format(
            Locale.ROOT,
            "%d secrets of %d bytes in %d vaults (%s), %d of them with %d versions: %d versions."
                + " Loaded through the control plane's API by %d closed-loop writers in %.1f s"
                + " (**%.0f writes/s**, %d retries); applied on every host %.1f s after the first"
                + " write.%n%n",
            d.secrets(),
            d.valueBytes(),
            d.vaults(),
            d.versionsPerShard().entrySet().stream()
                .map(e -> e.getValue() + " versions on " + e.getKey())
                .collect(java.util.stream.Collectors.joining(", ")),
            d.multiVersionSecrets(),
            d.versionsEach(),
            d.versions(),
            d.loadThreads(),
            d.loadSeconds(),
            d.writesPerSecond(),
            d.retries(),
            d.appliedEverywhereSeconds()));
  }

  private static void readLatency(StringBuilder out, Results.ReadLatency p1) {
    out.append("## Read latency, local vs remote accessor (P1)\n\n");
    out.append(
        String.format(
            Locale.ROOT,
            "Open loop at %s reads/s per accessor for %.0f s each (after %.0f s warm-up each), %d"
                + " reader threads, random secrets of %s (%d secrets), latest version. Latency"
                + " counts from each read's due time, so queueing in the client is included."
                + " Both hosts run on this machine and read the same data: the local accessor from"
                + " its RocksDB replica, the remote one from the shard's PostgreSQL store.%n%n",
            num(p1.targetRate()),
            p1.seconds(),
            p1.warmupSeconds(),
            p1.readerThreads(),
            p1.shard(),
            p1.secretsOnShard()));
    out.append(
        "| Accessor (ms) | host | reads/s | n | min | p50 | p90 | p99 | p99.9 | max | errors |"
            + " client CPU share |\n");
    out.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (Results.ReadRun run : java.util.List.of(p1.local(), p1.remote())) {
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
              percent(run.clientShare())));
    }
    out.append(
        "\nThe hosts' own view (Jetty's timer of GET requests, request in → response out, no"
            + " client and no network; decaying sample of mostly this run), ms:\n\n");
    out.append(
        "| Accessor | n (all time) | mean | p50 | p99 | p99.9 |\n|---|---:|---:|---:|---:|---:|\n");
    for (Results.ReadRun run : java.util.List.of(p1.local(), p1.remote())) {
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

  private static void readThroughput(StringBuilder out, Results.ReadThroughput p2) {
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
    for (Results.ThroughputRun run : java.util.List.of(p2.coffer(), p2.bare())) {
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
              percent(run.clientShare()),
              percent(run.usage().machineBusy())));
    }
    out.append(
        String.format(
            Locale.ROOT,
            "%nRatio Coffer / bare: **%.2f**. Goal ≥ %.0f%% of bare and ≥ %s req/s: **%s**.%n%n",
            p2.ratio(),
            p2.goalRatio() * 100,
            num(p2.goalRequestsPerSecond()),
            p2.goalMet() ? "met" : "not met"));
  }

  /** A table of the JMH figures alone, for {@code --micro-only}. */
  static String micro(java.util.List<MicroBenchmarks.Figure> figures, boolean smoke) {
    StringBuilder out = new StringBuilder();
    out.append("# Coffer microbenchmarks")
        .append(smoke ? " (smoke: one short iteration, not a measurement)" : "")
        .append("\n\n");
    microTable(out, figures);
    return out.toString();
  }

  private static void microTable(StringBuilder out, java.util.List<MicroBenchmarks.Figure> f) {
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
                  .collect(java.util.stream.Collectors.joining(", ")),
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

  private static Map<String, Double> perOperation(Machine.Usage usage, long operations) {
    Map<String, Double> out = new java.util.LinkedHashMap<>();
    if (operations > 0) {
      usage
          .coresByRole()
          .forEach(
              (role, cores) ->
                  out.put(role, Machine.round3(cores * usage.wallSeconds() * 1000 / operations)));
    }
    return out;
  }

  private static String mib(Double value) {
    return value == null ? "n/a" : String.format(Locale.ROOT, "%.1f", value);
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
                  ? "–"
                  : String.format(Locale.ROOT, "%.2f (%s)", cores, ms == null ? "–" : fmt3(ms)))
          .append(" |");
    }
    out.append(' ').append(percent(usage.machineBusy())).append(" |\n");
  }

  private static String fmt3(double v) {
    return String.format(Locale.ROOT, v < 1 ? "%.3f" : "%.2f", v);
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
