package dev.coffer.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultsWriterTest {
  @TempDir Path out;

  @Test
  void aRunWritesItsReportItsFiguresAndBothPlotsTitledWithItsSettings() throws Exception {
    ReplicationLagPhase.Measured lag = new ReplicationLagPhase.Measured();
    lag.appendToAllApplied.add(FixedResults.latencies(500, 10));
    lag.writeLatency.add(FixedResults.latencies(500, 30));
    lag.sample(1.5, 12);
    lag.seconds = 10;
    ReadLatencyPhase.Measured reads =
        new ReadLatencyPhase.Measured(
            "h",
            "local",
            100,
            30,
            10,
            0,
            0,
            0,
            FixedResults.latencies(10, 1),
            new Latencies(),
            FixedResults.usage(30, 0.1));

    String markdown =
        new ResultsWriter(out)
            .write(FixedResults.results(), new ResultsWriter.Curves(lag, reads, reads));

    assertThat(markdown).isEqualTo(Report.markdown(FixedResults.results()));
    assertThat(Files.readString(out.resolve("results.md"))).isEqualTo(markdown);
    assertThat(Files.readString(out.resolve("results.json")))
        .isEqualTo(ResultsWriter.json(FixedResults.results()));
    assertThat(Files.readString(out.resolve("replication-lag.svg")))
        .contains(
            ">Coffer replication lag: 200 writes/s, 2 shard(s) x 2 host(s),"
                + " 2026-12-07T12:00:00Z</text>")
        .contains("target 50 ms");
    assertThat(Files.readString(out.resolve("read-latency.svg")))
        .contains(
            ">Coffer read latency, due → answer: 100 reads/s on one host, 100000 secrets of 1024"
                + " bytes, 2026-12-07T12:00:00Z</text>");
  }
}
