package dev.coffer.replication.activation;

import dev.coffer.core.error.CofferException;
import dev.coffer.replication.apply.LogWakeups;
import io.dropwizard.lifecycle.Managed;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A daemon thread that runs one step, then waits for a wake-up or its interval, and backs off on
 * failures. Failures are logged by code or type only: a lower layer's message could quote data.
 */
abstract class BackgroundLoop implements Managed, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(BackgroundLoop.class);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

  private final String name;
  private final LogWakeups wakeups;
  private final Duration interval;
  private final Duration minimumGap;
  private volatile boolean running;
  private Thread thread;

  BackgroundLoop(String name, LogWakeups wakeups, Duration interval) {
    this(name, wakeups, interval, Duration.ZERO);
  }

  /**
   * @param minimumGap the least time between the end of one step and the start of the next:
   *     wake-ups that arrive meanwhile are served by one step, so under load the work is batched
   *     instead of repeated per wake-up
   */
  BackgroundLoop(String name, LogWakeups wakeups, Duration interval, Duration minimumGap) {
    this.name = name;
    this.wakeups = wakeups;
    this.interval = interval;
    this.minimumGap = minimumGap;
  }

  /** One round of work. */
  abstract void step();

  @Override
  public synchronized void start() {
    if (running) {
      return;
    }
    running = true;
    thread = new Thread(this::run, name);
    thread.setDaemon(true);
    thread.start();
  }

  private void run() {
    int failures = 0;
    while (running) {
      try {
        step();
        failures = 0;
        if (!minimumGap.isZero()) {
          Thread.sleep(minimumGap.toMillis());
        }
        wakeups.await(interval);
      } catch (InterruptedException e) {
        // close() interrupts to stop the loop; running is false by then.
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        failures++;
        long backoff =
            Math.min(interval.toMillis() << Math.min(failures, 10), MAX_BACKOFF.toMillis());
        LOG.warn(
            "{} failed ({}); retrying in {} ms.",
            name,
            e instanceof CofferException ce ? ce.code() : e.getClass().getSimpleName(),
            backoff);
        try {
          Thread.sleep(backoff);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }

  /** As {@link #close}: an application manages the loop like any other Dropwizard job. */
  @Override
  public void stop() {
    close();
  }

  @Override
  public void close() {
    Thread current;
    synchronized (this) {
      running = false;
      current = thread;
      thread = null;
    }
    if (current != null) {
      current.interrupt();
      try {
        current.join(TimeUnit.SECONDS.toMillis(10));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    wakeups.close();
  }
}
