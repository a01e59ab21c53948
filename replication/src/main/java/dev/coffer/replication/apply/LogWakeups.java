package dev.coffer.replication.apply;

import java.time.Duration;

/** Tells a tailer that new events may be readable, so it need not wait for its poll timer. */
public interface LogWakeups extends AutoCloseable {
  /**
   * Blocks up to {@code timeout}, or less once the calling thread is interrupted; true when new
   * events may be readable (a notification, or a fresh subscription that may have missed some),
   * false on timeout.
   */
  boolean await(Duration timeout);

  @Override
  void close();

  /** No notifications: the tailer relies on its timer alone. */
  static LogWakeups none() {
    return new LogWakeups() {
      @Override
      public boolean await(Duration timeout) {
        try {
          Thread.sleep(timeout.toMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return false;
      }

      @Override
      public void close() {}
    };
  }
}
