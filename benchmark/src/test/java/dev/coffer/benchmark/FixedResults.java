package dev.coffer.benchmark;

import dev.coffer.benchmark.Latencies.Summary;
import dev.coffer.benchmark.micro.MicroBenchmarks;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link Results} built from fixed figures, every record and list filled, for the tests that pin
 * what a run writes. Maps keep their order, so the output is the same on every run.
 */
final class FixedResults {
  private FixedResults() {}

  static Results results() {
    return new Results(
        new Results.Run(
            "2026-12-07T12:00:00.123Z",
            false,
            List.of("--write-rate", "200", "--probe", "wait"),
            "0123456789abcdef0123456789abcdef01234567",
            12.345,
            321.5),
        new Results.MachineInfo(
            2,
            "Test CPU @ 2.00GHz",
            7936L,
            "OpenJDK 64-Bit Server VM 17.0.9+9",
            "Linux 6.1.0 amd64",
            new double[] {1.25, 0.5, 0.25},
            new double[] {2.5, 1.75, 0.75},
            usage(300, 0.45),
            "A shared machine."),
        new Results.Cluster(2, 2, List.of("-Xmx256m", "-XX:+UseSerialGC"), true, 4, 100, 64),
        new Results.DataSet(
            100_000,
            1024,
            8,
            10_000,
            3,
            120_000,
            ordered("shard-a", 60_000L, "shard-b", 60_000L),
            16,
            80.5,
            1490.7,
            3,
            81.25,
            usage(80.5, 0.3)),
        new Results.ReadLatency(
            "shard-a",
            50_000,
            100,
            30,
            10,
            16,
            readRun(
                "shard-a-host-1", "local", 0.85, new Results.ServerTime(4000, 0.4, 0.35, 1.2, 3.5)),
            readRun("shard-a-remote", "remote", 2.5, null),
            0.34,
            0.5,
            0.1,
            false,
            "not met"),
        new Results.ReadThroughput(
            "wrk",
            "wrk (C, event loop; 2 threads)",
            16,
            15,
            30,
            new Results.ThroughputRun(
                "shard-a-host-1 (local accessor)",
                45_000,
                0,
                3000.5,
                summary(45_000, 4),
                usage(15, 0.2),
                0.25),
            new Results.ThroughputRun(
                "bare endpoint", 90_000, 2, 6000.25, summary(90_000, 2), usage(15, 0.3), null),
            0.5,
            0.5,
            10_000,
            false),
        replication(),
        new Results.Throughput(
            step(List.of("shard-a"), 2, 400.5),
            step(List.of("shard-a", "shard-b"), 4, 600.75),
            1.5),
        List.of(
            new Results.Memory(
                "shard-a-host-1", "data-plane host", "shard-a", 1001, 310.5, 120.25, 55.5),
            new Results.Memory(
                "shard-a-remote",
                "data-plane host, remote accessor",
                "shard-a",
                1002,
                250.0,
                null,
                null),
            new Results.Memory("control-plane", "control plane", null, 1003, null, 99.5, null)),
        List.of(
            new MicroBenchmarks.Figure(
                "CryptoBenchmark.encrypt",
                ordered("valueBytes", "1024"),
                "avgt",
                2.345,
                0.012,
                "us/op",
                5),
            new MicroBenchmarks.Figure(
                "ApplyBenchmark.applyBatch", Map.of(), "avgt", 4.5, Double.NaN, "ms/op", 1)));
  }

  private static Results.Replication replication() {
    Map<String, Summary> byHost = new LinkedHashMap<>();
    byHost.put("shard-a-host-1", summary(500, 6));
    byHost.put("shard-b-host-1", summary(480, 7));
    Map<String, Long> errorKinds = new LinkedHashMap<>();
    errorKinds.put("status 503", 2L);
    errorKinds.put("timeout", 1L);
    return new Results.Replication(
        200,
        199.5,
        99.75,
        60,
        20,
        32,
        11_970,
        0,
        0,
        new Results.Probe(
            "wait", 40, 2, 300, 1, 620, 10.333, 4, 3, errorKinds, 40, 5, 299, 0, 2100),
        summary(11_970, 12),
        summary(23_940, 9),
        5,
        1,
        summary(300, 15),
        summary(600, 11),
        byHost,
        summary(300, 20),
        summary(11_970, 8),
        summary(11_970, 7),
        summary(299, 40),
        List.of(
            new Results.HostApplyLag("shard-a-host-1", "shard-a", 20_000, 5, 30, 80, 6.125),
            new Results.HostApplyLag("shard-b-host-1", "shard-b", 19_000, 4, 28, 70, 5.5)),
        List.of(
            new Results.Collections("shard-a-host-1", "data-plane host", 12, 96),
            new Results.Collections("control-plane", "control plane", 0, 0)),
        List.of(
            new Results.Maintenance("shard-a", "autovacuum", "events", 2, 31.5),
            new Results.Maintenance("shard-b", "checkpoint", null, 1, null)),
        50,
        true,
        usage(60, 0.86),
        perWrite());
  }

  private static Results.ReadRun readRun(
      String host, String accessor, double scale, Results.ServerTime server) {
    return new Results.ReadRun(
        host,
        accessor,
        99.8,
        2994,
        0,
        accessor.equals("local") ? 0 : 1,
        0,
        summary(2994, scale),
        summary(2994, scale * 0.8),
        usage(30, 0.1),
        0.125,
        server);
  }

  private static Results.Step step(List<String> shards, int vaults, double rate) {
    return new Results.Step(
        shards,
        vaults,
        16,
        15,
        Math.round(rate * 15),
        1,
        rate,
        summary(6000, 30),
        usage(15, 0.97),
        perWrite());
  }

  /** Figures that grow with {@code scale}, in the order a summary's percentiles must be. */
  static Summary summary(long count, double scale) {
    return new Summary(
        count, scale * 1.1, scale * 0.25, scale, scale * 1.5, scale * 2.5, scale * 4, scale * 6);
  }

  static Machine.Usage usage(double wallSeconds, double busy) {
    Map<String, Double> cores = new LinkedHashMap<>();
    cores.put(ClusterProcesses.CLIENT, 0.125);
    cores.put(ClusterProcesses.CONTROL_PLANE, 0.5);
    cores.put(ClusterProcesses.HOSTS, 0.75);
    cores.put(ClusterProcesses.POSTGRES, 0.25);
    cores.put("other work", 0.0625);
    return new Machine.Usage(wallSeconds, wallSeconds * 0.125, 0.125, busy, cores);
  }

  private static Map<String, Double> perWrite() {
    return ordered(ClusterProcesses.CLIENT, 0.625, ClusterProcesses.HOSTS, 1.75);
  }

  private static <V> Map<String, V> ordered(String k1, V v1, String k2, V v2) {
    Map<String, V> out = new LinkedHashMap<>();
    out.put(k1, v1);
    out.put(k2, v2);
    return out;
  }

  private static Map<String, String> ordered(String k, String v) {
    Map<String, String> out = new LinkedHashMap<>();
    out.put(k, v);
    return out;
  }

  /** Latencies from a fixed sequence: a skewed distribution with a tail. */
  static Latencies latencies(int count, double baseMs) {
    Latencies out = new Latencies();
    for (int i = 1; i <= count; i++) {
      double ms = baseMs * (1 + Math.pow((double) i / count, 6) * 20 + (i % 7) / 10.0);
      out.recordNanos(Math.round(ms * 1e6));
    }
    return out;
  }

  /** Lag over a 10 s phase, with a burst of slow writes in its middle. */
  static List<double[]> lagOverTime() {
    List<double[]> out = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      double seconds = i / 200.0;
      double lag = 8 + (i % 13) + (i > 900 && i < 960 ? 70 + i % 17 : 0);
      out.add(new double[] {seconds, lag});
    }
    return out;
  }
}
