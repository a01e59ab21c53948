package dev.coffer.routing.health;

import dev.coffer.routing.table.Upstream;

/**
 * One upstream's health: the last active probe's verdict, and passive ejection after consecutive
 * failed requests. An upstream is available when its last probe reached it and it is not ejected;
 * one never probed counts as reachable. Thread-safe: requests of every event loop report here.
 */
public final class UpstreamHealth {
  private final Upstream upstream;
  private final int ejectAfterFailures;
  private final long ejectionNanos;

  private volatile boolean probeReached = true;
  private int consecutiveFailures;
  private long ejectedUntil;
  private boolean ejected;

  UpstreamHealth(Upstream upstream, int ejectAfterFailures, long ejectionNanos) {
    this.upstream = upstream;
    this.ejectAfterFailures = ejectAfterFailures;
    this.ejectionNanos = ejectionNanos;
  }

  public Upstream upstream() {
    return upstream;
  }

  public boolean available(long nowNanos) {
    return probeReached && !ejectedAt(nowNanos);
  }

  public synchronized boolean ejectedAt(long nowNanos) {
    if (ejected && nowNanos - ejectedUntil >= 0) {
      // The cool-off is over: the next request is a trial, and one more failure ejects again.
      ejected = false;
      consecutiveFailures = ejectAfterFailures - 1;
    }
    return ejected;
  }

  public boolean probeReached() {
    return probeReached;
  }

  void probed(boolean reached) {
    probeReached = reached;
  }

  /** A request got an answer it could forward. */
  public synchronized void succeeded() {
    consecutiveFailures = 0;
  }

  /**
   * A request failed on this upstream: no connection, a reset, an answer that is not HTTP, or no
   * answer in time. A 5xx is an answer and does not count.
   *
   * @return whether this failure ejected it
   */
  public synchronized boolean failed(long nowNanos) {
    if (ejected) {
      return false;
    }
    consecutiveFailures++;
    if (consecutiveFailures >= ejectAfterFailures) {
      ejected = true;
      ejectedUntil = nowNanos + ejectionNanos;
      return true;
    }
    return false;
  }
}
