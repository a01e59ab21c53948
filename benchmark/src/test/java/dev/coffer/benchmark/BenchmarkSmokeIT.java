package dev.coffer.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

/**
 * The benchmark in smoke mode, against a real deployment, so that the harness cannot rot between
 * the runs that produce figures. Its figures are not judged, only their presence and sanity.
 */
class BenchmarkSmokeIT {
  private static final List<String> SUMMARIES =
      List.of(
          "appendToAllApplied",
          "appendToEachHostApplied",
          "commitToAllApplied",
          "commitToEachHostApplied",
          "intendedToAllApplied",
          "writeLatency",
          "writeServiceTime",
          "commitToActive");

  @TempDir Path out;

  @Test
  @Timeout(value = 300, unit = TimeUnit.SECONDS)
  void aSmokeRunRecordsEveryFigure() throws Exception {
    int exit = BenchmarkRun.commandLine().execute("--smoke", "--out", out.toString());
    assertThat(exit).isZero();

    JsonNode r = new ObjectMapper().readTree(out.resolve("results.json").toFile());
    assertThat(r.path("run").path("smoke").asBoolean()).isTrue();
    int hosts =
        r.path("cluster").path("shards").asInt() * r.path("cluster").path("hostsPerShard").asInt();
    assertThat(hosts).isPositive();

    JsonNode data = r.path("dataSet");
    assertThat(data.path("versions").asLong())
        .isEqualTo(data.path("secrets").asLong() + 2 * data.path("multiVersionSecrets").asLong());
    assertThat(data.path("multiVersionSecrets").asLong()).isPositive();
    assertThat(data.path("writesPerSecond").asDouble()).isPositive();
    assertThat(data.path("appliedEverywhereSeconds").asDouble())
        .isGreaterThanOrEqualTo(data.path("loadSeconds").asDouble());

    JsonNode p1 = r.path("readLatency");
    for (String accessor : List.of("local", "remote")) {
      JsonNode run = p1.path(accessor);
      assertThat(run.path("accessor").asText()).isEqualTo(accessor);
      assertThat(run.path("reads").asLong()).as(accessor).isPositive();
      assertThat(run.path("errors").asLong()).as(accessor).isZero();
      assertThat(run.path("notServedAsExpected").asLong()).as(accessor).isZero();
      assertOrderedSummary(accessor, run.path("latency"));
      assertOrderedSummary(accessor, run.path("serviceTime"));
      assertThat(run.path("clientShare").asDouble(-1)).isBetween(0.0, 1.0);
      assertThat(run.path("serverTime").path("count").asLong())
          .as("%s host's own request timer", accessor)
          .isGreaterThanOrEqualTo(run.path("reads").asLong());
      assertThat(run.path("serverTime").path("p50").asDouble()).isPositive();
    }
    assertThat(p1.path("p50Ratio").asDouble()).isPositive();

    JsonNode p2 = r.path("readThroughput");
    assertThat(p2.path("generator").asText()).isIn("wrk", "java");
    for (String target : List.of("coffer", "bare")) {
      JsonNode run = p2.path(target);
      assertThat(run.path("requests").asLong()).as(target).isPositive();
      assertThat(run.path("errors").asLong()).as(target).isZero();
      assertThat(run.path("requestsPerSecond").asDouble()).as(target).isPositive();
      assertThat(run.path("latency").path("p50").asDouble()).as(target).isPositive();
    }
    assertThat(p2.path("ratio").asDouble()).isPositive();

    JsonNode micro = r.path("micro");
    assertThat(micro)
        .extracting(m -> m.path("benchmark").asText())
        .containsExactlyInAnyOrder(
            "ApplyBenchmark.applyBatch",
            "CryptoBenchmark.decrypt",
            "CryptoBenchmark.encrypt",
            "ReplicaReadBenchmark.rocksDbGet",
            "ReplicaReadBenchmark.rocksDbGetAndDecrypt");
    micro.forEach(m -> assertThat(m.path("score").asDouble()).as("%s", m).isPositive());
    assertThat(Files.size(out.resolve("micro.json"))).isPositive();

    JsonNode p3 = r.path("replication");
    assertThat(p3.path("writes").asLong()).isPositive();
    assertThat(p3.path("writeErrors").asLong()).isZero();
    assertThat(p3.path("achievedRate").asDouble()).isPositive();
    for (String name : SUMMARIES) {
      assertOrderedSummary(name, p3.path(name));
    }
    assertThat(p3.path("commitToAppliedByHost").size()).isEqualTo(hosts);
    p3.path("commitToAppliedByHost").forEach(h -> assertOrderedSummary("by host", h));
    JsonNode probe = p3.path("probe");
    assertThat(probe.path("probedWrites").asLong()).isPositive();
    assertThat(probe.path("unresolved").asLong()).isZero();
    assertThat(probe.path("requests").asLong())
        .isGreaterThanOrEqualTo(probe.path("probedWrites").asLong() * hosts);
    assertThat(probe.path("activeUnresolved").asLong()).isZero();
    // Each probed write's cell time is the latest of its hosts, so never below a single host's.
    assertThat(p3.path("commitToAllApplied").path("max").asDouble())
        .isGreaterThanOrEqualTo(p3.path("commitToEachHostApplied").path("p50").asDouble());
    // Every answered write is in the hosts' figure, timed by every host of its cell: collected
    // from replicas that remember their recent applies, without a failed request.
    assertThat(p3.path("appendToAllApplied").path("count").asLong())
        .isEqualTo(p3.path("writes").asLong());
    assertThat(p3.path("appendUntimed").asLong()).isZero();
    assertThat(p3.path("applyTimesFailures").asLong()).isZero();
    assertThat(p3.path("appendToEachHostApplied").path("count").asLong())
        .isEqualTo(p3.path("writes").asLong() * hosts / r.path("cluster").path("shards").asInt());
    // A cell's time is its slowest host's, so never below a single host's.
    assertThat(p3.path("appendToAllApplied").path("p50").asDouble())
        .isGreaterThanOrEqualTo(p3.path("appendToEachHostApplied").path("p50").asDouble());

    for (JsonNode usage :
        List.of(p3.path("usage"), r.path("throughput").path("oneShard").path("usage"))) {
      JsonNode cores = usage.path("coresByRole");
      for (String role : List.of("benchmark client", "control plane", "hosts", "other work")) {
        assertThat(cores.path(role).asDouble(-1))
            .as("cores of %s in %s", role, usage)
            .isGreaterThanOrEqualTo(0);
      }
      assertThat(cores.path("control plane").asDouble())
          .as("the control plane worked")
          .isPositive();
    }

    JsonNode collections = p3.path("collections");
    assertThat(collections.size()).as("every host and the control plane").isEqualTo(hosts + 1);
    for (JsonNode gc : collections) {
      assertThat(gc.path("role").asText()).isIn("data-plane host", "control plane");
      assertThat(gc.path("count").asLong(-1)).as("collections of %s", gc).isNotNegative();
      assertThat(gc.path("millis").asLong(-1)).as("collections of %s", gc).isNotNegative();
    }

    JsonNode maintenance = p3.path("maintenance");
    assertThat(maintenance.isArray()).as("maintenance during P3: %s", p3).isTrue();
    for (JsonNode m : maintenance) {
      assertThat(m.path("what").asText()).isIn("autovacuum", "autoanalyze", "checkpoint");
      assertThat(m.path("count").asLong()).isPositive();
    }

    JsonNode hostLag = p3.path("hostApplyLag");
    assertThat(hostLag.size()).isEqualTo(hosts);
    for (JsonNode h : hostLag) {
      assertThat(h.path("count").asLong()).as("apply-lag count of %s", h).isPositive();
      assertThat(h.path("p50").asDouble()).isGreaterThanOrEqualTo(0);
      assertThat(h.path("p50").asDouble()).isLessThanOrEqualTo(h.path("p99").asDouble());
      assertThat(h.path("p99").asDouble()).isLessThanOrEqualTo(h.path("max").asDouble());
    }

    JsonNode p4 = r.path("throughput");
    for (String step : List.of("oneShard", "allShards")) {
      JsonNode s = p4.path(step);
      assertThat(s.path("writes").asLong()).as(step).isPositive();
      assertThat(s.path("writesPerSecond").asDouble()).as(step).isPositive();
      assertOrderedSummary(step, s.path("latency"));
    }
    assertThat(p4.path("ratio").asDouble()).isPositive();

    JsonNode memory = r.path("memory");
    // Every host, the remote-accessor host of P1 and the control plane.
    assertThat(memory.size()).isEqualTo(hosts + 2);
    boolean proc = Files.exists(Path.of("/proc/self/status"));
    for (JsonNode m : memory) {
      assertThat(m.path("pid").asLong()).isPositive();
      if (proc) {
        assertThat(m.path("rssMiB").asDouble()).as("RSS of %s", m).isPositive();
      }
      assertThat(m.path("heapUsedMiB").asDouble()).as("heap of %s", m).isPositive();
      if (m.path("role").asText().equals("data-plane host")) {
        assertThat(m.path("replicaMiB").asDouble()).as("replica of %s", m).isPositive();
      }
    }

    JsonNode machine = r.path("machine");
    assertThat(machine.path("cores").asInt()).isPositive();
    assertThat(machine.path("java").asText()).isNotBlank();
    assertThat(machine.path("loadAverageStart").size()).isEqualTo(3);
    assertThat(machine.path("loadAverageEnd").size()).isEqualTo(3);
    assertThat(machine.path("clientDuringRun").path("clientCores").asDouble())
        .isGreaterThanOrEqualTo(0);

    String markdown = Files.readString(out.resolve("results.md"), StandardCharsets.UTF_8);
    assertThat(markdown)
        .contains("appended → applied on every host of the cell (hosts' clocks)")
        .contains("commit → read back from every host of the cell (client)")
        .contains("Write throughput")
        .contains("Memory with the data set loaded")
        .contains("Read latency, local vs remote accessor")
        .contains("Read throughput vs a bare endpoint")
        .contains("Microbenchmarks (JMH)")
        .contains("Where the CPU went")
        .contains("shared with other work and noisy");

    Document svg =
        DocumentBuilderFactory.newInstance()
            .newDocumentBuilder()
            .parse(out.resolve("replication-lag.svg").toFile());
    assertThat(svg.getDocumentElement().getNodeName()).isEqualTo("svg");
    assertThat(svg.getElementsByTagName("circle").getLength()).isPositive();
    assertThat(svg.getElementsByTagName("polyline").getLength()).isPositive();

    Document reads =
        DocumentBuilderFactory.newInstance()
            .newDocumentBuilder()
            .parse(out.resolve("read-latency.svg").toFile());
    assertThat(reads.getDocumentElement().getNodeName()).isEqualTo("svg");
    // Local and remote, each on both panels.
    assertThat(reads.getElementsByTagName("polyline").getLength()).isEqualTo(4);
  }

  private static void assertOrderedSummary(String name, JsonNode s) {
    assertThat(s.path("count").asLong()).as("%s count", name).isPositive();
    double[] ordered = {
      0,
      s.path("min").asDouble(-1),
      s.path("p50").asDouble(-1),
      s.path("p90").asDouble(-1),
      s.path("p99").asDouble(-1),
      s.path("p999").asDouble(-1),
      s.path("max").asDouble(-1)
    };
    for (int i = 1; i < ordered.length; i++) {
      assertThat(ordered[i])
          .as("%s percentiles in order: %s", name, s)
          .isGreaterThanOrEqualTo(ordered[i - 1]);
    }
    assertThat(s.path("mean").asDouble(-1)).as("%s mean", name).isGreaterThanOrEqualTo(0);
  }
}
