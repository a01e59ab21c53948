package dev.coffer.benchmark;

import java.util.List;
import org.junit.jupiter.api.Test;

class PlotsTest {
  @Test
  void theReplicationLagPlotStaysAsItWasForTheSameFigures() throws Exception {
    Latencies lag = FixedResults.latencies(5000, 10);
    String svg =
        LagPlot.svg(
            "Coffer replication lag: 200 writes/s, 2 shard(s) x 2 host(s), <test> & more",
            FixedResults.lagOverTime(),
            10,
            50,
            lag.summary().p99(),
            List.of(
                new SvgChart.Series("append → applied, cell (hosts' clocks)", lag.cdf(200)),
                new SvgChart.Series(
                    "commit → read back, cell (client)", FixedResults.latencies(500, 14).cdf(200)),
                new SvgChart.Series("commit → ACTIVE", List.of()),
                new SvgChart.Series(
                    "write latency (due → answer)", FixedResults.latencies(5000, 30).cdf(200))));
    Golden.assertMatches("replication-lag.svg", svg);
  }

  @Test
  void theReadLatencyPlotStaysAsItWasForTheSameFigures() throws Exception {
    String svg =
        ReadLatencyPlot.svg(
            "Coffer read latency, due → answer: 100 reads/s on one host",
            List.of(
                new SvgChart.Series(
                    "local accessor (RocksDB replica)", FixedResults.latencies(3000, 0.4).cdf(400)),
                new SvgChart.Series(
                    "remote accessor (shard store)", FixedResults.latencies(3000, 2.5).cdf(400))));
    Golden.assertMatches("read-latency.svg", svg);
  }

  @Test
  void anEmptyReadLatencyPlotStaysAsItWas() throws Exception {
    Golden.assertMatches(
        "read-latency-empty.svg",
        ReadLatencyPlot.svg("empty", List.of(new SvgChart.Series("none", List.of()))));
  }
}
