package dev.coffer.benchmark;

import dev.coffer.core.api.Headers;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * P1: reads of random secrets at a fixed rate, open loop. The i-th read is due at {@code start + i
 * / rate}; a scheduling thread hands it at that time to a pool of reader threads, and its latency
 * counts from the due time, not from when it was sent, so a stall is charged to every read it
 * delays (no coordinated omission). The same phase runs against a host with the local accessor and
 * one with the remote accessor.
 */
final class ReadLatencyPhase {
  /** What one run measured. */
  record Measured(
      String host,
      String accessor,
      double targetRate,
      double seconds,
      long reads,
      long errors,
      long notServedAsExpected,
      long notSent,
      Latencies latency,
      Latencies serviceTime,
      Machine.Usage usage) {
    double achievedRate() {
      return seconds <= 0 ? 0 : (reads + errors) / seconds;
    }
  }

  private static final Duration DRAIN_LIMIT = Duration.ofSeconds(10);

  private ReadLatencyPhase() {}

  /**
   * @param expectedFrom the {@code Coffer-Served-From} every answer should carry; others are
   *     counted (a local host falling back to the shard store would not measure the local path)
   */
  static Measured run(
      ClusterProcesses roles,
      Http http,
      String hostName,
      String baseUrl,
      String expectedFrom,
      List<String> paths,
      double rate,
      Duration duration,
      int threads)
      throws InterruptedException {
    Latencies latency = new Latencies();
    Latencies serviceTime = new Latencies();
    AtomicLong reads = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    AtomicLong unexpected = new AtomicLong();
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            threads,
            threads,
            1,
            TimeUnit.MINUTES,
            new LinkedBlockingQueue<>(),
            r -> {
              Thread t = new Thread(r, "open-loop-reader");
              t.setDaemon(true);
              return t;
            });
    pool.prestartAllCoreThreads();
    Machine.CpuWindow cpu = new Machine.CpuWindow(roles);
    long intervalNanos = Math.round(1e9 / rate);
    long count = Math.max(1, Math.round(rate * duration.toNanos() / 1e9));
    long start = System.nanoTime() + 10_000_000L;
    for (long i = 0; i < count; i++) {
      long due = start + i * intervalNanos;
      long wait;
      while ((wait = due - System.nanoTime()) > 0) {
        LockSupport.parkNanos(wait);
      }
      String path = paths.get(ThreadLocalRandom.current().nextInt(paths.size()));
      pool.execute(
          () -> {
            long sent = System.nanoTime();
            try {
              Http.Answer answer = http.get(baseUrl + path);
              if (answer.status() == 200) {
                reads.incrementAndGet();
                latency.recordNanos(answer.nanos() - due);
                serviceTime.recordNanos(answer.nanos() - sent);
                if (!expectedFrom.equals(answer.header(Headers.SERVED_FROM))) {
                  unexpected.incrementAndGet();
                }
              } else {
                errors.incrementAndGet();
              }
            } catch (RuntimeException e) {
              errors.incrementAndGet();
            }
          });
    }
    long end = start + count * intervalNanos;
    pool.shutdown();
    long drainUntil = Math.max(System.nanoTime(), end) + DRAIN_LIMIT.toNanos();
    pool.awaitTermination(Math.max(0, drainUntil - System.nanoTime()), TimeUnit.NANOSECONDS);
    long notSent = pool.shutdownNow().size();
    // The nominal span: reads answered during the drain were due within it.
    double seconds = (end - start) / 1e9;
    Machine.Usage usage = cpu.end();
    return new Measured(
        hostName,
        expectedFrom,
        rate,
        Machine.round3(seconds),
        reads.get(),
        errors.get(),
        unexpected.get(),
        notSent,
        latency,
        serviceTime,
        usage);
  }
}
