package dev.coffer.replication.apply;

import dev.coffer.core.error.CofferException;
import dev.coffer.core.model.LogPosition;
import dev.coffer.core.storage.LogReader;
import dev.coffer.core.storage.LogReplica;
import dev.coffer.core.storage.LogTruncatedException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a local replica up to date: reads a log after the replica's applied position and applies it
 * in batches, woken by notifications and by a timer. The applied position lives in the replica,
 * written atomically with the data, so a restart resumes exactly where the last batch ended. A host
 * tails its shard's log of secrets ({@code T} = {@link dev.coffer.core.event.PositionedEvent}); a
 * router tails the base store's log of placements.
 *
 * @param <T> a log entry with its position
 */
public final class ReplicationTailer<T> implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ReplicationTailer.class);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

  /** First wait before reading again when committed events are held back (it doubles). */
  private static final Duration HELD_BACK_FIRST_WAIT = Duration.ofMillis(5);

  private final String name;
  private final LogReader<T> reader;
  private final LogReplica<T> store;
  private final LogWakeups wakeups;
  private final int batchSize;
  private final Duration pollInterval;
  private final ApplyListener<? super T> listener;
  private final Runnable bootstrap;
  private final Object progress = new Object();
  private final AtomicLong appliedEvents = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();
  private final AtomicLong bootstraps = new AtomicLong();
  private final AtomicLong heldBackReads = new AtomicLong();

  private volatile boolean running;
  private volatile boolean caughtUp;
  private volatile Instant lastSuccessfulRead = Instant.EPOCH;
  private Thread thread;

  public ReplicationTailer(
      String name,
      LogReader<T> reader,
      LogReplica<T> store,
      LogWakeups wakeups,
      int batchSize,
      Duration pollInterval,
      ApplyListener<? super T> listener) {
    this(name, reader, store, wakeups, batchSize, pollInterval, listener, null);
  }

  /**
   * @param bootstrap how to catch up when the log was truncated past the replica's position (it
   *     refills the replica from a snapshot, as {@link
   *     dev.coffer.replication.bootstrap.SnapshotBootstrap} does); null when the log is never
   *     truncated
   */
  public ReplicationTailer(
      String name,
      LogReader<T> reader,
      LogReplica<T> store,
      LogWakeups wakeups,
      int batchSize,
      Duration pollInterval,
      ApplyListener<? super T> listener,
      Runnable bootstrap) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be positive");
    }
    this.name = name;
    this.reader = reader;
    this.store = store;
    this.wakeups = wakeups;
    this.batchSize = batchSize;
    this.pollInterval = pollInterval;
    this.listener = listener;
    this.bootstrap = bootstrap;
  }

  public synchronized void start() {
    if (running) {
      return;
    }
    running = true;
    thread = new Thread(this::run, "replication-tailer-" + name);
    thread.setDaemon(true);
    thread.start();
  }

  private void run() {
    int consecutiveFailures = 0;
    Duration heldBackWait = Duration.ZERO;
    while (running) {
      try {
        LogReader.Read<T> read = reader.read(store.appliedPosition(), batchSize);
        List<T> batch = read.events();
        lastSuccessfulRead = Instant.now();
        consecutiveFailures = 0;
        if (!batch.isEmpty()) {
          listener.applying(batch);
          store.apply(batch);
          appliedEvents.addAndGet(batch.size());
          listener.applied(batch, Instant.now());
          synchronized (progress) {
            progress.notifyAll();
          }
        }
        if (batch.size() < batchSize) {
          caughtUp = true;
          if (read.heldBack()) {
            heldBackReads.incrementAndGet();
            // The transaction holding them back may append nothing (a position report, say), so
            // its commit would wake no one: look again soon, backing off while it lasts.
            heldBackWait =
                heldBackWait.isZero() ? HELD_BACK_FIRST_WAIT : heldBackWait.multipliedBy(2);
            heldBackWait = heldBackWait.compareTo(pollInterval) > 0 ? pollInterval : heldBackWait;
            wakeups.await(heldBackWait);
          } else {
            heldBackWait = Duration.ZERO;
            wakeups.await(pollInterval);
          }
        }
      } catch (LogTruncatedException e) {
        if (bootstrap == null) {
          throw e;
        }
        caughtUp = false;
        LOG.info(
            "Replication tailer {} is behind the log's truncation point {}; bootstrapping.",
            name,
            e.truncatedAt());
        try {
          bootstrap.run();
          bootstraps.incrementAndGet();
          synchronized (progress) {
            progress.notifyAll();
          }
        } catch (RuntimeException bootstrapFailure) {
          consecutiveFailures++;
          failures.incrementAndGet();
          LOG.warn(
              "Replication tailer {} could not bootstrap ({}); retrying.",
              name,
              bootstrapFailure instanceof CofferException ce
                  ? ce.code()
                  : bootstrapFailure.getClass().getSimpleName());
          sleep(backoff(consecutiveFailures));
        }
      } catch (CofferException | IllegalStateException | IllegalArgumentException e) {
        consecutiveFailures++;
        failures.incrementAndGet();
        Duration backoff = backoff(consecutiveFailures);
        // Codes and types only: a lower layer's message could quote data.
        LOG.warn(
            "Replication tailer {} failed ({}); retrying in {} ms.",
            name,
            e instanceof CofferException ce ? ce.code() : e.getClass().getSimpleName(),
            backoff.toMillis());
        sleep(backoff);
      } catch (RuntimeException e) {
        consecutiveFailures++;
        failures.incrementAndGet();
        LOG.error("Replication tailer {} hit an unexpected error; retrying.", name, e);
        sleep(backoff(consecutiveFailures));
      }
    }
  }

  private Duration backoff(int consecutiveFailures) {
    long millis = pollInterval.toMillis() << Math.min(consecutiveFailures, 10);
    return Duration.ofMillis(Math.min(millis, MAX_BACKOFF.toMillis()));
  }

  /**
   * Waits until the replica has applied {@code target} or {@code timeout} passes.
   *
   * @return whether the replica includes {@code target}
   */
  public boolean awaitApplied(LogPosition target, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (progress) {
      while (!store.appliedPosition().isAtLeast(target)) {
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
          return false;
        }
        TimeUnit.NANOSECONDS.timedWait(progress, remaining);
      }
      return true;
    }
  }

  /** True once a read after start found nothing more to apply. */
  public boolean isCaughtUp() {
    return caughtUp;
  }

  public LogPosition appliedPosition() {
    return store.appliedPosition();
  }

  public long appliedEvents() {
    return appliedEvents.get();
  }

  public long bootstraps() {
    return bootstraps.get();
  }

  /**
   * Reads that found committed events held back behind an older transaction still in flight, each
   * followed by a short wait before reading again: a measure of what the horizon costs in lag.
   */
  public long heldBackReads() {
    return heldBackReads.get();
  }

  public long failures() {
    return failures.get();
  }

  public Instant lastSuccessfulRead() {
    return lastSuccessfulRead;
  }

  @Override
  public void close() {
    Thread running;
    synchronized (this) {
      this.running = false;
      running = thread;
      thread = null;
    }
    if (running != null) {
      running.interrupt();
      try {
        running.join(TimeUnit.SECONDS.toMillis(10));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
