package dev.coffer.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.coffer.deployment.LocalCluster;
import dev.coffer.deployment.ServiceProcess;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the servers say about themselves on their admin {@code /metrics}, and their memory from
 * {@code /proc}. A server whose metrics cannot be read gives empty figures rather than failing the
 * run.
 */
final class ServerMetrics {
  private final Http http;
  private final LocalCluster cluster;

  ServerMetrics(Http http, LocalCluster cluster) {
    this.http = http;
    this.cluster = cluster;
  }

  /** Jetty's GET timer from a server's admin {@code /metrics}, in milliseconds, or null. */
  Results.ServerTime serverTime(int adminPort) {
    JsonNode timer =
        metrics(adminPort)
            .path("timers")
            .path("io.dropwizard.jetty.MutableServletContextHandler.get-requests");
    if (!timer.has("count")) {
      return null;
    }
    double toMillis =
        switch (timer.path("duration_units").asText("seconds")) {
          case "milliseconds" -> 1;
          case "microseconds" -> 1e-3;
          case "nanoseconds" -> 1e-6;
          default -> 1e3;
        };
    return new Results.ServerTime(
        timer.path("count").asLong(),
        Machine.round3(timer.path("mean").asDouble() * toMillis),
        Machine.round3(timer.path("p50").asDouble() * toMillis),
        Machine.round3(timer.path("p99").asDouble() * toMillis),
        Machine.round3(timer.path("p999").asDouble() * toMillis));
  }

  /** Each host's own {@code apply-lag-ms} histogram. */
  List<Results.HostApplyLag> hostApplyLag() {
    List<Results.HostApplyLag> out = new ArrayList<>();
    for (LocalCluster.Host host : cluster.hosts()) {
      JsonNode h =
          metrics(host.adminPort())
              .path("histograms")
              .path("coffer.replication." + host.shard().value() + ".apply-lag-ms");
      out.add(
          new Results.HostApplyLag(
              host.id(),
              host.shard().value(),
              h.path("count").asLong(0),
              h.path("p50").asDouble(0),
              h.path("p99").asDouble(0),
              h.path("max").asDouble(0),
              Machine.round3(h.path("mean").asDouble(0))));
    }
    return out;
  }

  /**
   * Each server's garbage collections since it started, every collector together. A server whose
   * metrics cannot be read is left out.
   */
  List<Results.Collections> collections() {
    List<Results.Collections> out = new ArrayList<>();
    for (LocalCluster.Host host : cluster.hosts()) {
      collectionsOf(host.process().name(), "data-plane host", host.adminPort()).ifPresent(out::add);
    }
    collectionsOf(cluster.controlPlane().name(), "control plane", controlPlaneAdminPort())
        .ifPresent(out::add);
    return out;
  }

  /** Collections between two readings of {@link #collections}, per server read both times. */
  static List<Results.Collections> collectionsSince(
      List<Results.Collections> before, List<Results.Collections> after) {
    List<Results.Collections> out = new ArrayList<>();
    for (Results.Collections now : after) {
      before.stream()
          .filter(then -> then.process().equals(now.process()))
          .findFirst()
          .ifPresent(
              then ->
                  out.add(
                      new Results.Collections(
                          now.process(),
                          now.role(),
                          now.count() - then.count(),
                          now.millis() - then.millis())));
    }
    return out;
  }

  /** Every host's (the remote-accessor one included) and the control plane's memory. */
  List<Results.Memory> memory() {
    List<Results.Memory> out = new ArrayList<>();
    for (LocalCluster.Host host : cluster.hosts()) {
      out.add(
          memoryOf(
              host.process(),
              "data-plane host",
              host.shard().value(),
              host.adminPort(),
              Machine.directoryMiB(host.replicaDirectory(cluster.directory()))));
    }
    for (LocalCluster.Host host : cluster.extraHosts()) {
      out.add(
          memoryOf(
              host.process(),
              "data-plane host, remote accessor",
              host.shard().value(),
              host.adminPort(),
              null));
    }
    out.add(memoryOf(cluster.controlPlane(), "control plane", null, controlPlaneAdminPort(), null));
    return out;
  }

  private Optional<Results.Collections> collectionsOf(String process, String role, int adminPort) {
    if (adminPort <= 0) {
      return Optional.empty();
    }
    long count = 0;
    long millis = 0;
    boolean any = false;
    for (Map.Entry<String, JsonNode> gauge : metrics(adminPort).path("gauges").properties()) {
      String name = gauge.getKey();
      if (name.startsWith("jvm.gc.") && name.endsWith(".count")) {
        count += gauge.getValue().path("value").asLong(0);
        any = true;
      } else if (name.startsWith("jvm.gc.") && name.endsWith(".time")) {
        millis += gauge.getValue().path("value").asLong(0);
      }
    }
    return any
        ? Optional.of(new Results.Collections(process, role, count, millis))
        : Optional.empty();
  }

  private Results.Memory memoryOf(
      ServiceProcess process, String role, String shard, int adminPort, Double replicaMiB) {
    Double heap = null;
    if (adminPort > 0) {
      JsonNode used = metrics(adminPort).path("gauges").path("jvm.memory.heap.used");
      if (used.has("value")) {
        heap = Math.round(used.path("value").asDouble() / (1024 * 1024) * 10) / 10.0;
      }
    }
    return new Results.Memory(
        process.name(),
        role,
        shard,
        process.pid(),
        Machine.residentMiB(process.pid()),
        heap,
        replicaMiB);
  }

  /** LocalCluster does not expose it; its configuration file names it. */
  private int controlPlaneAdminPort() {
    try {
      JsonNode config =
          new ObjectMapper(new YAMLFactory())
              .readTree(
                  cluster.directory().resolve("config").resolve("control-plane.yml").toFile());
      return config.path("server").path("adminConnectors").path(0).path("port").asInt(-1);
    } catch (IOException e) {
      return -1;
    }
  }

  private JsonNode metrics(int adminPort) {
    try {
      Http.Answer answer = http.get("http://127.0.0.1:" + adminPort + "/metrics");
      return answer.status() == 200 ? answer.json() : Http.JSON.createObjectNode();
    } catch (RuntimeException e) {
      return Http.JSON.createObjectNode();
    }
  }
}
