package dev.coffer.benchmark;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * P4: closed-loop writers, each sending its next write as soon as the last is answered, for a fixed
 * time. Closed loop is right here, unlike for latency: the question is how many writes per second
 * the system completes when it is never idle, and the latency reported with it is the service time
 * at that saturation.
 */
final class ThroughputPhase {
  /** What one step measured. */
  record Measured(
      long writes, long errors, double seconds, Latencies latency, Machine.Usage usage) {
    double writesPerSecond() {
      return seconds <= 0 ? 0 : writes / seconds;
    }
  }

  private ThroughputPhase() {}

  static Measured run(
      ClusterProcesses processes,
      Http http,
      String controlPlane,
      Workload workload,
      List<Workload.Vault> vaults,
      int threads,
      Duration duration)
      throws InterruptedException {
    Latencies latency = new Latencies();
    AtomicLong writes = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    AtomicLong counter = new AtomicLong();
    Machine.CpuWindow cpu = new Machine.CpuWindow(processes);
    long start = System.nanoTime();
    long end = start + duration.toNanos();
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread worker =
          new Thread(
              () -> {
                while (System.nanoTime() < end) {
                  Workload.Target target = workload.next(vaults);
                  long sent = System.nanoTime();
                  try {
                    Http.Answer answer =
                        http.put(
                            controlPlane + target.path(), workload.body(counter.getAndIncrement()));
                    if (answer.status() == 201) {
                      writes.incrementAndGet();
                      latency.recordNanos(answer.nanos() - sent);
                    } else {
                      errors.incrementAndGet();
                    }
                  } catch (RuntimeException e) {
                    errors.incrementAndGet();
                  }
                }
              },
              "closed-loop-writer-" + t);
      worker.setDaemon(true);
      workers.add(worker);
      worker.start();
    }
    for (Thread worker : workers) {
      worker.join();
    }
    // Until the last answer, not the nominal end: writes answered after it are counted too.
    double seconds = (System.nanoTime() - start) / 1e9;
    return new Measured(writes.get(), errors.get(), seconds, latency, cpu.end());
  }
}
