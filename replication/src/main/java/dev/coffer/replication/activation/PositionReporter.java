package dev.coffer.replication.activation;

import dev.coffer.core.event.PositionedEvent;
import dev.coffer.core.model.Endpoint;
import dev.coffer.core.model.HostId;
import dev.coffer.core.model.LogPosition;
import dev.coffer.core.storage.CellMembership;
import dev.coffer.replication.apply.ApplyListener;
import dev.coffer.replication.apply.LogWakeups;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A host's side of activation: reports its durable applied position to the shard store soon after
 * each applied batch (it is woken by the tailer), and at least every heartbeat so the cell can see
 * that it is alive. Reporting happens off the apply thread, so a slow store never slows applying.
 */
public final class PositionReporter extends BackgroundLoop
    implements ApplyListener<PositionedEvent> {
  /**
   * One report serves every batch applied within this long of the previous report. Each report is a
   * transaction in the shard store and wakes the promoter for another; below a few hundred writes
   * per second batches are small: at 10 ms and 100 writes/s the hosts' reporters and the promoter
   * used two thirds of the CPU the control plane spent serving the writes. The cost is at most this
   * much more time to ACTIVE, never to a host's apply or a read.
   */
  static final Duration MINIMUM_GAP = Duration.ofMillis(25);

  private final HostId host;
  private final Optional<Endpoint> endpoint;
  private final CellMembership cell;
  private final Supplier<LogPosition> applied;
  private final Signal signal;
  private final Duration heartbeat;
  private LogPosition lastReported;
  private Instant lastReportAt = Instant.EPOCH;

  public PositionReporter(
      HostId host, CellMembership cell, Supplier<LogPosition> applied, Duration heartbeat) {
    this(host, Optional.empty(), cell, applied, heartbeat);
  }

  /**
   * @param endpoint where the host's API listens, advertised to the cell at {@link #register}
   */
  public PositionReporter(
      HostId host,
      Optional<Endpoint> endpoint,
      CellMembership cell,
      Supplier<LogPosition> applied,
      Duration heartbeat) {
    this(host, endpoint, cell, applied, heartbeat, new Signal());
  }

  private PositionReporter(
      HostId host,
      Optional<Endpoint> endpoint,
      CellMembership cell,
      Supplier<LogPosition> applied,
      Duration heartbeat,
      Signal signal) {
    super("position-reporter-" + host, signal, heartbeat, MINIMUM_GAP);
    this.host = host;
    this.endpoint = endpoint;
    this.cell = cell;
    this.applied = applied;
    this.signal = signal;
    this.heartbeat = heartbeat;
  }

  /**
   * Registers the host with what its replica holds now, and where its API listens; call before
   * {@link #start()}.
   */
  public void register() {
    LogPosition position = applied.get();
    cell.register(host, position);
    endpoint.ifPresent(where -> cell.advertise(host, where));
    lastReported = position;
    lastReportAt = Instant.now();
  }

  @Override
  void step() {
    LogPosition position = applied.get();
    boolean due = Instant.now().isAfter(lastReportAt.plus(heartbeat));
    if (!position.equals(lastReported) || due) {
      cell.report(host, position);
      lastReported = position;
      lastReportAt = Instant.now();
    }
  }

  @Override
  public void applied(List<? extends PositionedEvent> batch, Instant appliedAt) {
    signal.fire();
  }

  /** A wake-up fired by the apply thread. */
  private static final class Signal implements LogWakeups {
    private boolean fired;

    synchronized void fire() {
      fired = true;
      notifyAll();
    }

    @Override
    public synchronized boolean await(Duration timeout) {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (!fired) {
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
          return false;
        }
        try {
          java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(this, remaining);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
      fired = false;
      return true;
    }

    @Override
    public void close() {}
  }
}
