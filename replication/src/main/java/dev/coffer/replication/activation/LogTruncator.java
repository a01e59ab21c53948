package dev.coffer.replication.activation;

import dev.coffer.replication.apply.LogWakeups;
import dev.coffer.replication.postgres.PostgresLogTruncation;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** The control plane's periodic truncation of one shard's log, after the retention window. */
public final class LogTruncator extends BackgroundLoop {
  private final PostgresLogTruncation truncation;
  private final Duration retention;
  private final AtomicLong deleted = new AtomicLong();

  public LogTruncator(
      String shard, PostgresLogTruncation truncation, Duration retention, Duration interval) {
    super("log-truncator-" + shard, LogWakeups.none(), interval);
    this.truncation = truncation;
    this.retention = retention;
  }

  @Override
  void step() {
    deleted.addAndGet(truncation.truncate(retention).deletedEvents());
  }

  public long deletedEvents() {
    return deleted.get();
  }
}
