package dev.coffer.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * P2: closed-loop reads at a fixed concurrency, as many as the server answers: each connection
 * sends its next request as soon as the last is answered. Run against a host (authenticated reads
 * of random secrets, decrypted) and against the bare endpoint on the same server stack, so that
 * their ratio is what the store and the crypto cost.
 *
 * <p>The load comes from {@code wrk} when it is installed: written in C with an event loop, it
 * costs the shared CPU far less per request than a Java client, which matters when client and
 * server share two cores. Without it, Java threads on {@link Http} do the same, and the report says
 * so.
 */
final class ReadThroughputPhase {
  static final String WRK = "wrk";
  static final String JAVA = "java";

  /** Which client loads P2: {@code wrk}, Java threads, or wrk when it is installed. */
  enum LoadGenerator {
    AUTO,
    WRK,
    JAVA;

    /** As on the command line. */
    @Override
    public String toString() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * One target's figures.
   *
   * @param latency send → answer of each request (closed loop: service time at saturation)
   */
  record Measured(
      String target,
      String generator,
      int connections,
      double seconds,
      long requests,
      long errors,
      double requestsPerSecond,
      Latencies.Summary latency,
      Machine.Usage usage) {}

  private ReadThroughputPhase() {}

  /** {@code wrk} on the PATH, if any. */
  static Optional<Path> findWrk() {
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    for (String directory : path.split(java.io.File.pathSeparator, -1)) {
      Path candidate = Path.of(directory.isEmpty() ? "." : directory, WRK);
      if (Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /** Writes the Lua script and the read paths where {@link #wrk} expects them. */
  static Path writeWrkFiles(Path directory, List<String> paths) {
    try (InputStream script = ReadThroughputPhase.class.getResourceAsStream("read.lua")) {
      if (script == null) {
        throw new IllegalStateException("read.lua is missing from the class path");
      }
      Files.createDirectories(directory);
      Files.write(directory.resolve("read.lua"), script.readAllBytes());
      Files.write(directory.resolve("paths.txt"), paths, StandardCharsets.UTF_8);
      return directory;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Measured wrk(
      ClusterProcesses roles,
      Path wrk,
      Path files,
      String token,
      String target,
      String baseUrl,
      int connections,
      Duration duration)
      throws IOException, InterruptedException {
    long seconds = Math.max(1, duration.toSeconds());
    ProcessBuilder builder =
        new ProcessBuilder(
                wrk.toString(),
                "-t" + Math.min(2, connections),
                "-c" + connections,
                "-d" + seconds + "s",
                "--timeout",
                "10s",
                "-s",
                files.resolve("read.lua").toString(),
                baseUrl)
            .redirectErrorStream(true)
            .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
    builder.environment().put("COFFER_BENCH_TOKEN", token);
    builder.environment().put("COFFER_BENCH_PATHS", files.resolve("paths.txt").toString());
    Machine.CpuWindow cpu = new Machine.CpuWindow(roles);
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(seconds + 30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException("wrk did not finish");
    }
    // After waitFor the child is reaped, so its CPU counts in this process's children's time,
    // which ClusterProcesses adds to the client's.
    Machine.Usage usage = cpu.end();
    String line =
        output
            .lines()
            .filter(l -> l.startsWith("COFFER-WRK "))
            .findFirst()
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "wrk exited " + process.exitValue() + " without figures:\n" + output));
    JsonNode r = Http.JSON.readTree(line.substring("COFFER-WRK ".length()));
    long requests = r.path("requests").asLong();
    long statusErrors = r.path("statusErrors").asLong();
    long errors =
        statusErrors
            + r.path("connectErrors").asLong()
            + r.path("readErrors").asLong()
            + r.path("writeErrors").asLong()
            + r.path("timeouts").asLong();
    double elapsed = r.path("durationMicros").asLong() / 1e6;
    long answered = requests - statusErrors;
    return new Measured(
        target,
        WRK,
        connections,
        Machine.round3(elapsed),
        answered,
        errors,
        Machine.round3(elapsed <= 0 ? 0 : answered / elapsed),
        new Latencies.Summary(
            answered,
            ms(r.path("mean").asDouble()),
            ms(r.path("min").asDouble()),
            ms(r.path("p50").asDouble()),
            ms(r.path("p90").asDouble()),
            ms(r.path("p99").asDouble()),
            ms(r.path("p999").asDouble()),
            ms(r.path("max").asDouble())),
        usage);
  }

  /** The fallback: {@code connections} Java threads, each a closed loop. */
  static Measured java(
      ClusterProcesses roles,
      Http http,
      String target,
      String baseUrl,
      List<String> paths,
      int connections,
      Duration duration)
      throws InterruptedException {
    Latencies latency = new Latencies();
    AtomicLong answered = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    Machine.CpuWindow cpu = new Machine.CpuWindow(roles);
    long start = System.nanoTime();
    long end = start + duration.toNanos();
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < connections; c++) {
      Thread thread =
          new Thread(
              () -> {
                while (System.nanoTime() < end) {
                  String path = paths.get(ThreadLocalRandom.current().nextInt(paths.size()));
                  long sent = System.nanoTime();
                  try {
                    Http.Answer answer = http.get(baseUrl + path);
                    if (answer.status() == 200) {
                      answered.incrementAndGet();
                      latency.recordNanos(answer.nanos() - sent);
                    } else {
                      errors.incrementAndGet();
                    }
                  } catch (RuntimeException e) {
                    errors.incrementAndGet();
                  }
                }
              },
              "closed-loop-reader-" + c);
      thread.setDaemon(true);
      threads.add(thread);
      thread.start();
    }
    for (Thread thread : threads) {
      thread.join();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    Machine.Usage usage = cpu.end();
    return new Measured(
        target,
        JAVA,
        connections,
        Machine.round3(seconds),
        answered.get(),
        errors.get(),
        Machine.round3(answered.get() / seconds),
        latency.summary(),
        usage);
  }

  private static double ms(double micros) {
    return Math.round(micros / 10.0) / 100.0;
  }
}
