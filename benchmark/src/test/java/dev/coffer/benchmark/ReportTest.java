package dev.coffer.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReportTest {
  @Test
  void resultsMdStaysAsItWasForTheSameFigures() throws Exception {
    Golden.assertMatches("results.md", Report.markdown(FixedResults.results()));
  }

  @Test
  void theMicroOnlyReportStaysAsItWas() throws Exception {
    Golden.assertMatches("micro-only.md", Report.micro(FixedResults.results().micro(), true));
  }

  @Test
  void theReadThroughputSectionGivesEachTargetARowAndTheVerdict() {
    StringBuilder section = new StringBuilder();
    new ReadThroughputSection().write(section, FixedResults.results());
    String heading = "## Read throughput vs a bare endpoint (P2)\n";

    assertThat(Report.markdown(FixedResults.results())).contains(section);
    assertThat(section.toString())
        .isEqualTo(
            heading
                + "\n"
                + "Closed loop, 16 connections, 15 s per target after 30 s warm-up; load from wrk"
                + " (C, event loop; 2 threads). Coffer: authenticated reads of random secrets,"
                + " decrypted, from a host's replica. Bare: the same Dropwizard stack and HTTP"
                + " conventions (bearer token checked, JSON, no-store) answering a constant secret"
                + " of the same size, no store and no crypto, in its own JVM with the hosts'"
                + " options.\n"
                + "\n"
                + "| Target | requests | **req/s** | p50 ms | p99 ms | errors | client CPU share |"
                + " machine busy |\n"
                + "|---|---:|---:|---:|---:|---:|---:|---:|\n"
                + "| shard-a-host-1 (local accessor) | 45000 | **3001** | 4.00 | 10.00 | 0 | 25% |"
                + " 20% |\n"
                + "| bare endpoint | 90000 | **6000** | 2.00 | 5.00 | 2 | n/a | 30% |\n"
                + "\n"
                + "Ratio Coffer / bare: **0.50**. Goal ≥ 50% of bare and ≥ 10000 req/s: **not"
                + " met**.\n"
                + "\n");
  }
}
