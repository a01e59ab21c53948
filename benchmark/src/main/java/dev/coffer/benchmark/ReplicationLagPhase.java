package dev.coffer.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.deployment.LocalCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * P3: an open-loop writer at a fixed rate, and probes that find when each write is applied on every
 * host of its shard's cell and when the control plane reports it ACTIVE.
 *
 * <p>Open loop: the i-th write is due at {@code start + i / rate} whether or not earlier writes
 * have been answered, a pool of writer threads sends it, and its latency counts from that due time.
 * A closed-loop writer would send less while the system is slow and so hide exactly the slow
 * periods (coordinated omission); timing from the due time charges a stall to every write it
 * delays.
 */
final class ReplicationLagPhase {
  /** How a probe learns that a host has applied a write. */
  enum ProbeMethod {
    /**
     * {@code GET ?version=N} with the write's token in {@code Coffer-Replication-Token}: the host
     * holds the request until its replica has applied the token (up to its read-your-writes wait,
     * 100 ms) and then answers from the replica; after the wait it answers from the shard store and
     * the probe asks again. One request per host and write, answered as soon as the apply lands.
     */
    WAIT,
    /**
     * {@code GET ?version=N} without a token every poll interval until the host answers {@code
     * Coffer-Served-From: local}. Each miss is a fallback read of the shard store, so this probe
     * loads the database the writes go to; kept as a cross-check of the wait probe.
     */
    POLL
  }

  record Config(
      double rate,
      Duration duration,
      int writers,
      ProbeMethod probe,
      int probeEvery,
      int activeEvery,
      Duration pollInterval,
      Duration activePollInterval) {}

  /** Everything one run measured. */
  static final class Measured {
    /**
     * Per probed write, by the hosts' own word ({@code Server-Timing: apply}): appended to the
     * shard's log → applied, the slowest host of the cell. No probe round trip in it.
     */
    final Latencies appendToAllApplied = new Latencies();

    final Latencies appendToEachHostApplied = new Latencies();

    /** Probed writes some host of which gave no apply time; they count by the client's clock. */
    final AtomicLong appendUntimed = new AtomicLong();

    final Latencies commitToAllApplied = new Latencies();
    final Latencies commitToEachHostApplied = new Latencies();
    final Map<String, Latencies> commitToAppliedByHost = new LinkedHashMap<>();
    final Latencies intendedToAllApplied = new Latencies();
    final Latencies writeLatency = new Latencies();
    final Latencies writeServiceTime = new Latencies();
    final Latencies commitToActive = new Latencies();
    final AtomicLong writes = new AtomicLong();
    final AtomicLong writeErrors = new AtomicLong();
    final AtomicLong writesNotSent = new AtomicLong();
    final AtomicLong probedWrites = new AtomicLong();
    final AtomicLong probeUnresolved = new AtomicLong();
    final AtomicLong probeRequests = new AtomicLong();
    final AtomicLong probeRemoteAnswers = new AtomicLong();
    final AtomicLong probeErrors = new AtomicLong();
    final AtomicLong activeProbedWrites = new AtomicLong();
    final AtomicLong activeUnresolved = new AtomicLong();
    final AtomicLong activeRequests = new AtomicLong();
    final Map<String, Long> probeErrorKinds = new LinkedHashMap<>();
    final List<double[]> lagOverTime = new ArrayList<>();
    double seconds;
    Machine.Usage usage;

    synchronized Latencies byHost(String host) {
      return commitToAppliedByHost.computeIfAbsent(host, h -> new Latencies());
    }

    /** Why probes failed, by kind: a probe that only fails must say why. */
    synchronized void probeError(Http.Answer answer, Throwable error) {
      String kind;
      if (error != null) {
        // The I/O failure itself, not the wrappers the asynchronous call put around it.
        Throwable cause = error;
        while ((cause instanceof java.util.concurrent.CompletionException
                || cause instanceof java.io.UncheckedIOException)
            && cause.getCause() != null) {
          cause = cause.getCause();
        }
        kind = cause.getClass().getSimpleName();
      } else {
        kind = "HTTP " + answer.status();
      }
      probeErrorKinds.merge(kind, 1L, Long::sum);
    }

    synchronized Map<String, Long> probeErrorKinds() {
      return Map.copyOf(probeErrorKinds);
    }

    synchronized void sample(double secondsIntoPhase, double lagMillis) {
      lagOverTime.add(new double[] {secondsIntoPhase, lagMillis});
    }

    synchronized List<double[]> lagOverTime() {
      return List.copyOf(lagOverTime);
    }
  }

  private static final Duration PROBE_GIVE_UP = Duration.ofSeconds(10);
  private static final Duration DRAIN_LIMIT = Duration.ofSeconds(10);
  private static final int TIMING_REQUESTS = 3;

  private final LocalCluster cluster;
  private final Workload workload;
  private final Http writes;
  private final Http probes;
  private final Config config;
  private final ScheduledExecutorService timer;
  private final Set<Probe> open = ConcurrentHashMap.newKeySet();

  ReplicationLagPhase(
      LocalCluster cluster, Workload workload, Http writes, Http probes, Config config) {
    this.cluster = cluster;
    this.workload = workload;
    this.writes = writes;
    this.probes = probes;
    this.config = config;
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "probe-timer");
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Runs for the configured duration, then lets the backlog and the probes finish, within bounds:
   * an overloaded deployment must still produce a report, with what did not finish counted.
   */
  Measured run() throws InterruptedException {
    Measured measured = new Measured();
    for (LocalCluster.Host host : cluster.hosts()) {
      measured.byHost(host.id());
    }
    ExecutorService writers =
        Executors.newFixedThreadPool(
            config.writers(),
            r -> {
              Thread t = new Thread(r, "open-loop-writer");
              t.setDaemon(true);
              return t;
            });
    Machine.CpuWindow cpu = new Machine.CpuWindow(new ClusterProcesses(cluster));
    long period = Math.max(1, Math.round(1e9 / config.rate()));
    long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
    long end = start + config.duration().toNanos();
    for (long i = 0; ; i++) {
      long due = start + i * period;
      if (due >= end) {
        break;
      }
      parkUntil(due);
      long index = i;
      writers.execute(() -> write(measured, index, due, start));
    }
    writers.shutdown();
    if (!writers.awaitTermination(DRAIN_LIMIT.toNanos(), TimeUnit.NANOSECONDS)) {
      measured.writesNotSent.addAndGet(writers.shutdownNow().size());
      writers.awaitTermination(10, TimeUnit.SECONDS);
    }
    long drainDeadline = System.nanoTime() + DRAIN_LIMIT.toNanos();
    while (!open.isEmpty() && System.nanoTime() < drainDeadline) {
      Thread.sleep(5);
    }
    long now = System.nanoTime();
    for (Probe probe : List.copyOf(open)) {
      probe.abandon(now);
    }
    timer.shutdownNow();
    measured.seconds = (end - start) / 1e9;
    measured.usage = cpu.end();
    return measured;
  }

  private void write(Measured m, long index, long due, long phaseStart) {
    Workload.Target target = workload.next(workload.vaults());
    long sent = System.nanoTime();
    Http.Answer answer;
    try {
      answer = writes.put(cluster.controlPlaneUrl() + target.path(), workload.body(index));
    } catch (RuntimeException e) {
      // A writer still waiting for its answer when the drain limit runs out is interrupted: that
      // is the backlog of an overloaded run, counted with the writes not sent, not a failed write.
      if (Thread.currentThread().isInterrupted()) {
        m.writesNotSent.incrementAndGet();
      } else {
        m.writeErrors.incrementAndGet();
      }
      return;
    }
    if (answer.status() != 201) {
      m.writeErrors.incrementAndGet();
      return;
    }
    m.writes.incrementAndGet();
    // The control plane answers after its transaction committed: the answer is the commit as far
    // as a client can see it. Its delivery time is therefore included in the write latency, and
    // excluded from the lag.
    long committed = answer.nanos();
    m.writeLatency.recordNanos(committed - due);
    m.writeServiceTime.recordNanos(committed - sent);
    JsonNode body = answer.json();
    long version = body.path("version").asLong();
    String token = body.path("replicationToken").asText();
    if (config.probeEvery() > 0 && index % config.probeEvery() == 0) {
      m.probedWrites.incrementAndGet();
      probeApplied(m, target, version, token, due, committed, phaseStart);
    }
    if (config.activeEvery() > 0 && index % config.activeEvery() == 0) {
      m.activeProbedWrites.incrementAndGet();
      ActiveProbe probe = new ActiveProbe(m, committed);
      open.add(probe);
      // The state alone: polling the secret itself would decrypt it on every poll.
      String url = cluster.controlPlaneUrl() + target.path() + "/versions/" + version + "/state";
      later(
          () -> pollActive(probe, url, giveUpAt(), config.activePollInterval()),
          config.activePollInterval());
    }
  }

  /** A probe still waiting for an answer; abandoned ones count as unresolved. */
  private interface Probe {
    void abandon(long now);
  }

  /**
   * One write's probes across its cell; the last host to apply decides the cell's time. A host
   * whose probe gives up (or is abandoned when the phase ends) contributes its give-up time, so an
   * unresolved write still counts in the percentiles, as a lower bound, instead of vanishing from
   * them.
   */
  private final class CellProbe implements Probe {
    private final Measured m;
    private final long due;
    private final long committed;
    private final long phaseStart;
    private int remaining;
    private long last;
    private long slowestApplyNanos;
    private boolean untimed;
    private boolean unresolved;
    private boolean done;

    CellProbe(Measured m, int hosts, long due, long committed, long phaseStart) {
      this.m = m;
      this.remaining = hosts;
      this.due = due;
      this.committed = committed;
      this.phaseStart = phaseStart;
    }

    /**
     * @param applyNanos the host's own append → apply time for the write, or -1 if it gave none
     */
    synchronized void applied(LocalCluster.Host host, long at, long applyNanos) {
      if (done) {
        return;
      }
      m.commitToEachHostApplied.recordNanos(at - committed);
      m.byHost(host.id()).recordNanos(at - committed);
      if (applyNanos < 0) {
        untimed = true;
      } else {
        m.appendToEachHostApplied.recordNanos(applyNanos);
        slowestApplyNanos = Math.max(slowestApplyNanos, applyNanos);
      }
      hostFinished(at);
    }

    synchronized void gaveUp(long at) {
      if (done) {
        return;
      }
      unresolved = true;
      hostFinished(at);
    }

    @Override
    public synchronized void abandon(long now) {
      if (done) {
        return;
      }
      unresolved = true;
      remaining = 1;
      hostFinished(now);
    }

    private void hostFinished(long at) {
      last = Math.max(last, at);
      if (--remaining > 0) {
        return;
      }
      done = true;
      open.remove(this);
      if (unresolved) {
        m.probeUnresolved.incrementAndGet();
      }
      m.commitToAllApplied.recordNanos(last - committed);
      m.intendedToAllApplied.recordNanos(last - due);
      // A write without every host's time must not vanish from the hosts' figure: it counts
      // with the client's instead (commit seen → read back, the probe's round trip included;
      // for an unresolved write, the give-up time).
      long cell = slowestApplyNanos;
      if (unresolved || untimed) {
        m.appendUntimed.incrementAndGet();
        cell = last - committed;
      }
      m.appendToAllApplied.recordNanos(cell);
      m.sample((due - phaseStart) / 1e9, cell / 1e6);
    }
  }

  /** One write's wait for ACTIVE at the control plane. */
  private static final class ActiveProbe implements Probe {
    private final Measured m;
    private final long committed;
    private boolean done;

    ActiveProbe(Measured m, long committed) {
      this.m = m;
      this.committed = committed;
    }

    synchronized boolean finish(long at, boolean resolved) {
      if (done) {
        return false;
      }
      done = true;
      if (!resolved) {
        m.activeUnresolved.incrementAndGet();
      }
      m.commitToActive.recordNanos(at - committed);
      return true;
    }

    @Override
    public void abandon(long now) {
      finish(now, false);
    }
  }

  private void probeApplied(
      Measured m,
      Workload.Target target,
      long version,
      String token,
      long due,
      long committed,
      long phaseStart) {
    List<LocalCluster.Host> cell = cluster.hostsOf(target.vault().shard());
    CellProbe probe = new CellProbe(m, cell.size(), due, committed, phaseStart);
    open.add(probe);
    long giveUp = giveUpAt();
    for (LocalCluster.Host host : cell) {
      String url = host.url() + target.path() + "?version=" + version;
      Map<String, String> headers =
          config.probe() == ProbeMethod.WAIT ? Map.of("Coffer-Replication-Token", token) : Map.of();
      probeHost(m, probe, host, url, headers, giveUp);
    }
  }

  private void probeHost(
      Measured m,
      CellProbe probe,
      LocalCluster.Host host,
      String url,
      Map<String, String> headers,
      long giveUp) {
    m.probeRequests.incrementAndGet();
    probes
        .getAsync(url, headers)
        .whenComplete(
            (answer, error) -> {
              boolean ok = error == null && answer.status() == 200;
              if (ok && "local".equals(answer.header("Coffer-Served-From"))) {
                long applyNanos = applyNanos(answer.header("Server-Timing"));
                if (applyNanos < 0 && config.probe() == ProbeMethod.WAIT) {
                  askForApplyTime(m, probe, host, url, headers, answer.nanos(), TIMING_REQUESTS);
                } else {
                  probe.applied(host, answer.nanos(), applyNanos);
                }
                return;
              }
              if (ok) {
                m.probeRemoteAnswers.incrementAndGet();
              } else {
                m.probeErrors.incrementAndGet();
                m.probeError(answer, error);
              }
              long now = System.nanoTime();
              if (now > giveUp) {
                probe.gaveUp(now);
              } else if (ok && config.probe() == ProbeMethod.WAIT) {
                // The host already waited its full read-your-writes bound: ask again at once.
                probeHost(m, probe, host, url, headers, giveUp);
              } else {
                later(() -> probeHost(m, probe, host, url, headers, giveUp), config.pollInterval());
              }
            });
  }

  /**
   * A host records a batch's apply time just after the batch becomes readable, so a read that lands
   * in between is answered locally before the host can time it: ask again for the time only. The
   * write counts as read back at the first local answer.
   */
  private void askForApplyTime(
      Measured m,
      CellProbe probe,
      LocalCluster.Host host,
      String url,
      Map<String, String> headers,
      long localAt,
      int attemptsLeft) {
    m.probeRequests.incrementAndGet();
    probes
        .getAsync(url, headers)
        .whenComplete(
            (answer, error) -> {
              long applyNanos =
                  error == null && answer.status() == 200
                      ? applyNanos(answer.header("Server-Timing"))
                      : -1;
              if (applyNanos < 0 && attemptsLeft > 1) {
                askForApplyTime(m, probe, host, url, headers, localAt, attemptsLeft - 1);
              } else {
                probe.applied(host, localAt, applyNanos);
              }
            });
  }

  /**
   * Each poll is a shard-store read and a decryption at the control plane, so the interval grows by
   * a quarter per poll, up to five times the first: resolution stays near a fifth of the elapsed
   * time while a slow activation costs a bounded number of requests.
   */
  private void pollActive(ActiveProbe probe, String url, long giveUp, Duration interval) {
    probe.m.activeRequests.incrementAndGet();
    probes
        .getAsync(url, Map.of())
        .whenComplete(
            (answer, error) -> {
              if (error != null || answer.status() != 200) {
                probe.m.probeError(answer, error);
              }
              if (error == null && isActive(answer)) {
                if (probe.finish(answer.nanos(), true)) {
                  open.remove(probe);
                }
              } else if (System.nanoTime() > giveUp) {
                if (probe.finish(System.nanoTime(), false)) {
                  open.remove(probe);
                }
              } else {
                Duration next =
                    Duration.ofNanos(
                        Math.min(
                            interval.toNanos() * 5 / 4, config.activePollInterval().toNanos() * 5));
                later(() -> pollActive(probe, url, giveUp, next), interval);
              }
            });
  }

  /** After the phase the timer is gone; a late reschedule is then simply dropped. */
  private void later(Runnable task, Duration delay) {
    try {
      timer.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException phaseOver) {
      // Whatever this probe was waiting for is abandoned by run().
    }
  }

  /**
   * The host's {@code apply;dur=<ms>} in nanoseconds, or -1 when it sent none (it no longer
   * remembered the write, or is a host without that header).
   */
  static long applyNanos(String serverTiming) {
    if (serverTiming == null) {
      return -1;
    }
    for (String metric : serverTiming.split(",")) {
      String[] parts = metric.trim().split(";");
      if (!parts[0].trim().equals("apply")) {
        continue;
      }
      for (int i = 1; i < parts.length; i++) {
        String parameter = parts[i].trim();
        if (parameter.startsWith("dur=")) {
          try {
            return Math.round(Double.parseDouble(parameter.substring(4)) * 1e6);
          } catch (NumberFormatException malformed) {
            return -1;
          }
        }
      }
    }
    return -1;
  }

  private static boolean isActive(Http.Answer answer) {
    try {
      return answer.status() == 200 && "ACTIVE".equals(answer.json().path("state").asText());
    } catch (RuntimeException notJson) {
      return false;
    }
  }

  private static long giveUpAt() {
    return System.nanoTime() + PROBE_GIVE_UP.toNanos();
  }

  private static void parkUntil(long deadline) {
    long now;
    while ((now = System.nanoTime()) < deadline) {
      LockSupport.parkNanos(deadline - now);
    }
  }
}
