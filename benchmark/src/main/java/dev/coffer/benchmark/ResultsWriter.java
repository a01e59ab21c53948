package dev.coffer.benchmark;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;

/**
 * Writes a run's {@code results.md}, {@code results.json}, {@code replication-lag.svg} and {@code
 * read-latency.svg} into its directory.
 */
final class ResultsWriter {
  /** The raw latencies the plots draw: the lag phase's and both P1 runs'. */
  record Curves(
      ReplicationLagPhase.Measured lag,
      ReadLatencyPhase.Measured localReads,
      ReadLatencyPhase.Measured remoteReads) {}

  private final Path directory;

  ResultsWriter(Path directory) {
    this.directory = directory;
  }

  /** Writes every file and returns the Markdown. */
  String write(Results results, Curves curves) throws IOException {
    String markdown = Report.markdown(results);
    write("results.md", markdown);
    write("results.json", json(results));
    write("replication-lag.svg", lagPlot(results, curves.lag()));
    write("read-latency.svg", readLatencyPlot(results, curves));
    return markdown;
  }

  /** {@code --micro-only}: the Markdown of the microbenchmarks alone. */
  String writeMicroOnly(
      List<dev.coffer.benchmark.micro.MicroBenchmarks.Figure> figures, boolean smoke)
      throws IOException {
    String markdown = Report.micro(figures, smoke);
    write("results.md", markdown);
    return markdown;
  }

  static String json(Results results) throws JsonProcessingException {
    return Http.JSON.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(results)
        + "\n";
  }

  static String lagPlot(Results results, ReplicationLagPhase.Measured lag) {
    return LagPlot.svg(
        String.format(
            Locale.ROOT,
            "Coffer replication lag: %s writes/s, %d shard(s) x %d host(s), %s",
            Numbers.plain(results.replication().targetRate()),
            results.cluster().shards(),
            results.cluster().hostsPerShard(),
            startedAt(results)),
        lag.lagOverTime(),
        lag.seconds,
        results.replication().targetP99Ms(),
        results.replication().appendToAllApplied().p99(),
        List.of(
            new SvgChart.Series(
                "append → applied, cell (hosts' clocks)", lag.appendToAllApplied.cdf(200)),
            new SvgChart.Series(
                "commit → read back, cell (client)", lag.commitToAllApplied.cdf(200)),
            new SvgChart.Series("commit → ACTIVE", lag.commitToActive.cdf(200)),
            new SvgChart.Series("write latency (due → answer)", lag.writeLatency.cdf(200))));
  }

  static String readLatencyPlot(Results results, Curves curves) {
    return ReadLatencyPlot.svg(
        String.format(
            Locale.ROOT,
            "Coffer read latency, due → answer: %s reads/s on one host, %d secrets of %d bytes, %s",
            Numbers.plain(results.readLatency().targetRate()),
            results.dataSet().secrets(),
            results.dataSet().valueBytes(),
            startedAt(results)),
        List.of(
            new SvgChart.Series(
                "local accessor (RocksDB replica)", curves.localReads().latency().cdf(400)),
            new SvgChart.Series(
                "remote accessor (shard store)", curves.remoteReads().latency().cdf(400))));
  }

  /** The run's start to the second, as the plots' titles give it. */
  private static Instant startedAt(Results results) {
    return Instant.parse(results.run().startedAt()).truncatedTo(ChronoUnit.SECONDS);
  }

  private void write(String name, String content) throws IOException {
    Files.writeString(directory.resolve(name), content, StandardCharsets.UTF_8);
  }
}
