package dev.coffer.dataplane.read;

import dev.coffer.core.model.LogPosition;
import java.time.Duration;

/**
 * Waits for the local replica to reach a log position. In a host it is the replication tailer's
 * {@code awaitApplied}; tests substitute one they control.
 */
@FunctionalInterface
public interface PositionWaiter {
  /**
   * @return whether the replica includes {@code target} by the time this returns
   */
  boolean awaitApplied(LogPosition target, Duration timeout) throws InterruptedException;
}
