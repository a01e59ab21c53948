package dev.coffer.benchmark;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What the figures were measured on, read from {@code /proc} where it exists. Everything returns
 * null (or -1) elsewhere rather than failing: a figure missing from the report is better than no
 * report.
 */
final class Machine {
  private Machine() {}

  static int cores() {
    return Runtime.getRuntime().availableProcessors();
  }

  static Long memoryTotalMiB() {
    Long kib = procField(Path.of("/proc/meminfo"), "MemTotal:");
    return kib == null ? null : kib / 1024;
  }

  /** The 1, 5 and 15 minute load averages. */
  static double[] loadAverage() {
    try {
      String[] parts =
          Files.readString(Path.of("/proc/loadavg"), StandardCharsets.US_ASCII)
              .trim()
              .split("\\s+", -1);
      return new double[] {
        Double.parseDouble(parts[0]), Double.parseDouble(parts[1]), Double.parseDouble(parts[2])
      };
    } catch (IOException | RuntimeException e) {
      double one = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
      return new double[] {one, -1, -1};
    }
  }

  static String javaVersion() {
    return System.getProperty("java.vm.name")
        + " "
        + System.getProperty("java.runtime.version", System.getProperty("java.version"));
  }

  static String os() {
    return System.getProperty("os.name")
        + " "
        + System.getProperty("os.version")
        + " "
        + System.getProperty("os.arch");
  }

  static String cpuModel() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"), StandardCharsets.UTF_8)) {
        if (line.startsWith("model name")) {
          return line.substring(line.indexOf(':') + 1).trim();
        }
      }
    } catch (IOException | RuntimeException e) {
      // Not Linux: the model is only descriptive.
    }
    return null;
  }

  /** CPU time this JVM has used, all threads. */
  static long processCpuNanos() {
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getProcessCpuTime();
    }
    return ProcessHandle.current()
        .info()
        .totalCpuDuration()
        .map(java.time.Duration::toNanos)
        .orElse(-1L);
  }

  /** Resident set size of a process in MiB, or null if it cannot be read. */
  static Double residentMiB(long pid) {
    if (pid <= 0) {
      return null;
    }
    Long kib = procField(Path.of("/proc", Long.toString(pid), "status"), "VmRSS:");
    return kib == null ? null : Math.round(kib / 1024.0 * 10) / 10.0;
  }

  /**
   * Jiffies of the whole machine, busy and total, from the first line of /proc/stat: the busy share
   * over a phase shows how close to saturation the two cores were.
   */
  static long[] cpuJiffies() {
    try {
      List<String> lines = Files.readAllLines(Path.of("/proc/stat"), StandardCharsets.US_ASCII);
      String[] f = lines.get(0).trim().split("\\s+", -1);
      long total = 0;
      for (int i = 1; i < f.length && i <= 8; i++) {
        total += Long.parseLong(f[i]);
      }
      long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
      return new long[] {total - idle, total};
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private static Long procField(Path file, String prefix) {
    try {
      for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
        if (line.startsWith(prefix)) {
          return Long.parseLong(line.substring(prefix.length()).trim().split("\\s+", -1)[0]);
        }
      }
    } catch (IOException | RuntimeException e) {
      // Absent or unreadable: reported as unknown.
    }
    return null;
  }

  /**
   * Clock ticks a process has used, its reaped children included ({@code /proc/<pid>/stat} fields
   * 14 to 17), or -1. The unit is the one {@code /proc/stat} uses, so the two compare directly.
   */
  static long processTicks(long pid) {
    String[] f = procStat(pid);
    if (f == null) {
      return -1;
    }
    return Long.parseLong(f[11])
        + Long.parseLong(f[12])
        + Long.parseLong(f[13])
        + Long.parseLong(f[14]);
  }

  /** The parent of a process, or -1. */
  static long parentOf(long pid) {
    String[] f = procStat(pid);
    return f == null ? -1 : Long.parseLong(f[1]);
  }

  /** The fields after the command name, which may itself contain spaces and parentheses. */
  private static String[] procStat(long pid) {
    try {
      String text = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      return text.substring(text.lastIndexOf(')') + 2).trim().split("\\s+");
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /**
   * CPU used by this JVM, by each role of the deployment and by the whole machine between two
   * instants. What the machine used beyond the roles is other work: the noise this run suffered.
   */
  static final class CpuWindow {
    private final Supplier<Map<String, Long>> roles;
    private final long wallStart = System.nanoTime();
    private final long cpuStart = processCpuNanos();
    private final long[] jiffiesStart = cpuJiffies();
    private final Map<String, Long> rolesStart;

    /** This JVM and the machine only. */
    CpuWindow() {
      this(Map::of);
    }

    CpuWindow(Supplier<Map<String, Long>> roles) {
      this.roles = roles;
      this.rolesStart = roles.get();
    }

    Usage end() {
      long wall = System.nanoTime() - wallStart;
      long cpu = processCpuNanos() - cpuStart;
      long[] jiffiesEnd = cpuJiffies();
      Map<String, Long> rolesEnd = roles.get();
      Double machineBusy = null;
      Map<String, Double> cores = new LinkedHashMap<>();
      if (jiffiesStart != null && jiffiesEnd != null && jiffiesEnd[1] > jiffiesStart[1]) {
        double total = jiffiesEnd[1] - jiffiesStart[1];
        double busy = jiffiesEnd[0] - jiffiesStart[0];
        machineBusy = round3(busy / total);
        double accounted = 0;
        for (Map.Entry<String, Long> role : rolesEnd.entrySet()) {
          Long before = rolesStart.get(role.getKey());
          if (before != null && before >= 0 && role.getValue() >= 0) {
            double used = Math.max(0, role.getValue() - before);
            accounted += used;
            cores.put(role.getKey(), round3(used / total * cores()));
          }
        }
        if (!rolesEnd.isEmpty()) {
          cores.put("other work", round3(Math.max(0, busy - accounted) / total * cores()));
        }
      }
      return new Usage(
          round3(wall / 1e9), round3(cpu / 1e9), round3((double) cpu / wall), machineBusy, cores);
    }
  }

  /**
   * @param clientCores this JVM's CPU seconds per wall second
   * @param machineBusy share of all cores' time not idle (0 to 1), everyone included
   * @param coresByRole CPU seconds per wall second of each role, and of other work on the machine
   */
  record Usage(
      double wallSeconds,
      double clientCpuSeconds,
      double clientCores,
      Double machineBusy,
      Map<String, Double> coresByRole) {}

  /**
   * The benchmark client's share of all CPU time the machine used in a window (its reaped children,
   * such as wrk, included), or null when unknown.
   */
  static Double clientShare(Usage usage) {
    Double client = usage.coresByRole().get(ClusterProcesses.CLIENT);
    if (client == null || usage.machineBusy() == null || usage.machineBusy() <= 0) {
      return null;
    }
    return round3(Math.min(1, client / (usage.machineBusy() * cores())));
  }

  /** Bytes of every file under a directory, in MiB, or null. */
  static Double directoryMiB(Path root) {
    if (!Files.isDirectory(root)) {
      return null;
    }
    try (java.util.stream.Stream<Path> files = Files.walk(root)) {
      long bytes =
          files
              .filter(Files::isRegularFile)
              .mapToLong(
                  p -> {
                    try {
                      return Files.size(p);
                    } catch (IOException e) {
                      return 0;
                    }
                  })
              .sum();
      return Math.round(bytes / (1024.0 * 1024) * 10) / 10.0;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** CPU milliseconds each role spent per operation over a window; empty without operations. */
  static Map<String, Double> cpuMsPer(Usage usage, long operations) {
    Map<String, Double> out = new LinkedHashMap<>();
    if (operations > 0) {
      usage
          .coresByRole()
          .forEach(
              (role, cores) ->
                  out.put(role, round3(cores * usage.wallSeconds() * 1000 / operations)));
    }
    return out;
  }

  static double round3(double value) {
    return Math.round(value * 1000) / 1000.0;
  }
}
