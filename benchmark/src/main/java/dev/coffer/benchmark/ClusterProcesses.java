package dev.coffer.benchmark;

import dev.coffer.deployment.LocalCluster;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * CPU ticks used so far by each role of a deployment: the benchmark client, the control plane, the
 * hosts and the PostgreSQL servers. On a shared two-core machine, where every figure depends on who
 * else got the CPU, this is what tells a slow system from a busy machine.
 */
final class ClusterProcesses implements Supplier<Map<String, Long>> {
  static final String CLIENT = "benchmark client";
  static final String CONTROL_PLANE = "control plane";
  static final String HOSTS = "hosts";
  static final String POSTGRES = "PostgreSQL";
  static final String REMOTE_HOST = "remote-accessor host";
  static final String BARE_ENDPOINT = "bare endpoint";

  private final LocalCluster cluster;
  private final List<Long> postmasters;
  private final Map<String, Long> others;

  ClusterProcesses(LocalCluster cluster) {
    this(cluster, postmasters(cluster), Map.of());
  }

  private ClusterProcesses(LocalCluster cluster, List<Long> postmasters, Map<String, Long> others) {
    this.cluster = cluster;
    this.postmasters = postmasters;
    this.others = others;
  }

  /** The same roles and one more process of its own role, e.g. the bare endpoint. */
  ClusterProcesses with(String role, long pid) {
    Map<String, Long> more = new LinkedHashMap<>(others);
    more.put(role, pid);
    return new ClusterProcesses(cluster, postmasters, Map.copyOf(more));
  }

  @Override
  public Map<String, Long> get() {
    Map<String, Long> ticks = new LinkedHashMap<>();
    ticks.put(CLIENT, Machine.processTicks(ProcessHandle.current().pid()));
    ticks.put(CONTROL_PLANE, Machine.processTicks(cluster.controlPlane().pid()));
    long hosts = 0;
    for (LocalCluster.Host host : cluster.hosts()) {
      hosts = add(hosts, Machine.processTicks(host.process().pid()));
    }
    ticks.put(HOSTS, hosts);
    List<LocalCluster.Host> extra = cluster.extraHosts();
    if (!extra.isEmpty()) {
      long remote = 0;
      for (LocalCluster.Host host : extra) {
        remote = add(remote, Machine.processTicks(host.process().pid()));
      }
      ticks.put(REMOTE_HOST, remote);
    }
    others.forEach((role, pid) -> ticks.put(role, Machine.processTicks(pid)));
    if (!postmasters.isEmpty()) {
      ticks.put(POSTGRES, postgresTicks());
    }
    return ticks;
  }

  /**
   * A postmaster's own ticks include its reaped backends'; live backends are read one by one.
   * Backends that exit between two readings shift their time from one term to the other, which can
   * make a short window slightly off, never a long one.
   */
  private long postgresTicks() {
    long total = 0;
    for (long postmaster : postmasters) {
      total = add(total, Machine.processTicks(postmaster));
    }
    try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
      for (Path p : (Iterable<Path>) processes::iterator) {
        String name = p.getFileName().toString();
        if (!name.chars().allMatch(Character::isDigit)) {
          continue;
        }
        long pid = Long.parseLong(name);
        if (postmasters.contains(Machine.parentOf(pid))) {
          total = add(total, Machine.processTicks(pid));
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return total;
  }

  private static long add(long sum, long ticks) {
    return sum < 0 || ticks < 0 ? -1 : sum + ticks;
  }

  /** Each server's postmaster.pid names it on its first line. */
  private static List<Long> postmasters(LocalCluster cluster) {
    List<Long> pids = new ArrayList<>();
    for (Path directory : cluster.postgresDirectories()) {
      try {
        List<String> lines =
            Files.readAllLines(
                directory.resolve("data").resolve("postmaster.pid"), StandardCharsets.US_ASCII);
        pids.add(Long.parseLong(lines.get(0).trim()));
      } catch (IOException | RuntimeException e) {
        // An external server (COFFER_TEST_PGURL) or an unreadable file: not accounted.
      }
    }
    return List.copyOf(pids);
  }
}
