package dev.coffer.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.core.api.Headers;
import dev.coffer.core.model.LogPosition;
import dev.coffer.core.model.ReplicationToken;
import dev.coffer.core.model.ShardId;
import dev.coffer.dataplane.read.ServedFrom;
import dev.coffer.deployment.LocalCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * P3: an open-loop writer at a fixed rate; every write's append → apply time on every host of its
 * shard's cell, as the hosts themselves timed it (collected in bulk, see {@link
 * ApplyTimesCollector}); and, on a sample of writes, probes that find when a client can read the
 * write back from every host and when the control plane reports it ACTIVE.
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
    POLL;

    /** As on the command line and in {@code results.json}. */
    @Override
    public String toString() {
      return name().toLowerCase(Locale.ROOT);
    }
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
     * Per write, by the hosts' own word: appended to the shard's log → applied, the slowest host of
     * the cell. No request's round trip in it.
     */
    final Latencies appendToAllApplied = new Latencies();

    final Latencies appendToEachHostApplied = new Latencies();

    /**
     * Writes some host of which gave no apply time by the end of the collection; they count from
     * their commit to that end, a lower bound.
     */
    final AtomicLong appendUntimed = new AtomicLong();

    /** Requests for the hosts' apply times that failed (each asked again later). */
    long applyTimesFailures;

    /** Every answered write: where it went in the log, and when. */
    final Queue<Written> written = new ConcurrentLinkedQueue<>();

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

  /** One answered write. */
  record Written(ShardId shard, LogPosition position, long due, long committed) {}

  private static final Duration PROBE_GIVE_UP = Duration.ofSeconds(10);
  private static final Duration COLLECT_EVERY = Duration.ofSeconds(1);
  private static final Duration DRAIN_LIMIT = Duration.ofSeconds(10);

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
    ApplyTimesCollector applyTimes = new ApplyTimesCollector(probes, cluster.hosts());
    ScheduledExecutorService collector =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "apply-times-collector");
              t.setDaemon(true);
              return t;
            });
    // Stopped by shutting the executor down; the task catches its own failures.
    var unused =
        collector.scheduleWithFixedDelay(
            applyTimes::collect,
            COLLECT_EVERY.toNanos(),
            COLLECT_EVERY.toNanos(),
            TimeUnit.NANOSECONDS);
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
      writers.execute(() -> write(measured, index, due));
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
    // Not shutdownNow: interrupting a collection in its request would count as a failed one.
    collector.shutdown();
    collector.awaitTermination(10, TimeUnit.SECONDS);
    hostsApplyTimes(measured, applyTimes, start);
    return measured;
  }

  /**
   * Every write's figure by the hosts' clocks: collects until each write is timed by every host of
   * its cell, or the drain limit runs out.
   */
  private void hostsApplyTimes(Measured m, ApplyTimesCollector applyTimes, long phaseStart)
      throws InterruptedException {
    List<Written> writes = List.copyOf(m.written);
    long deadline = System.nanoTime() + DRAIN_LIMIT.toNanos();
    while (true) {
      applyTimes.collect();
      if (writes.stream().allMatch(w -> timedEverywhere(applyTimes, w))
          || System.nanoTime() > deadline) {
        break;
      }
      Thread.sleep(100);
    }
    long collected = System.nanoTime();
    m.applyTimesFailures = applyTimes.failures();
    for (Written w : writes) {
      long slowestMicros = 0;
      boolean untimed = false;
      for (LocalCluster.Host host : cluster.hostsOf(w.shard())) {
        OptionalLong micros = applyTimes.micros(host.id(), w.position());
        if (micros.isEmpty()) {
          untimed = true;
          continue;
        }
        m.appendToEachHostApplied.recordNanos(micros.getAsLong() * 1000);
        slowestMicros = Math.max(slowestMicros, micros.getAsLong());
      }
      long cell = slowestMicros * 1000;
      if (untimed) {
        m.appendUntimed.incrementAndGet();
        cell = Math.max(cell, collected - w.committed());
      }
      m.appendToAllApplied.recordNanos(cell);
      m.sample((w.due() - phaseStart) / 1e9, cell / 1e6);
    }
  }

  private boolean timedEverywhere(ApplyTimesCollector applyTimes, Written w) {
    return cluster.hostsOf(w.shard()).stream()
        .allMatch(host -> applyTimes.micros(host.id(), w.position()).isPresent());
  }

  private void write(Measured m, long index, long due) {
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
    ReplicationToken parsed = ReplicationToken.parse(token);
    m.written.add(new Written(parsed.shard(), parsed.position(), due, committed));
    if (config.probeEvery() > 0 && index % config.probeEvery() == 0) {
      m.probedWrites.incrementAndGet();
      probeApplied(m, target, version, token, due, committed);
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
    private int remaining;
    private long last;
    private boolean unresolved;
    private boolean done;

    CellProbe(Measured m, int hosts, long due, long committed) {
      this.m = m;
      this.remaining = hosts;
      this.due = due;
      this.committed = committed;
    }

    synchronized void applied(LocalCluster.Host host, long at) {
      if (done) {
        return;
      }
      m.commitToEachHostApplied.recordNanos(at - committed);
      m.byHost(host.id()).recordNanos(at - committed);
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
      Measured m, Workload.Target target, long version, String token, long due, long committed) {
    List<LocalCluster.Host> cell = cluster.hostsOf(target.vault().shard());
    CellProbe probe = new CellProbe(m, cell.size(), due, committed);
    open.add(probe);
    long giveUp = giveUpAt();
    for (LocalCluster.Host host : cell) {
      String url = host.url() + target.path() + "?version=" + version;
      Map<String, String> headers =
          config.probe() == ProbeMethod.WAIT ? Map.of(Headers.REPLICATION_TOKEN, token) : Map.of();
      probeHost(m, probe, host, url, headers, giveUp);
    }
  }

  @SuppressWarnings("FutureReturnValueIgnored") // nothing waits for a probe's answer callback
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
              if (ok && ServedFrom.LOCAL.header().equals(answer.header(Headers.SERVED_FROM))) {
                probe.applied(host, answer.nanos());
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
   * Each poll is a shard-store read and a decryption at the control plane, so the interval grows by
   * a quarter per poll, up to five times the first: resolution stays near a fifth of the elapsed
   * time while a slow activation costs a bounded number of requests.
   */
  @SuppressWarnings("FutureReturnValueIgnored") // nothing waits for a poll's answer callback
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
      var unused = timer.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException phaseOver) {
      // Whatever this probe was waiting for is abandoned by run().
    }
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
