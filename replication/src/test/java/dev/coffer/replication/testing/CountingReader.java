package dev.coffer.replication.testing;

import dev.coffer.core.error.CofferException;
import dev.coffer.core.error.ErrorCode;
import dev.coffer.core.event.PositionedEvent;
import dev.coffer.core.model.LogPosition;
import dev.coffer.core.storage.ReplicationLogReader;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** Records what a tailer asks its reader for, and can make the first reads fail. */
public final class CountingReader implements ReplicationLogReader {
  private final ReplicationLogReader delegate;
  private final List<LogPosition> afters = new ArrayList<>();
  private final AtomicLong eventsReturned = new AtomicLong();
  private final AtomicInteger failuresToInject = new AtomicInteger();

  public CountingReader(ReplicationLogReader delegate) {
    this.delegate = delegate;
  }

  /** The next {@code count} reads fail as an unreachable store would. */
  public CountingReader failingFirst(int count) {
    failuresToInject.set(count);
    return this;
  }

  @Override
  public List<PositionedEvent> readAfter(LogPosition after, int max) {
    return read(after, max).events();
  }

  @Override
  public Read<PositionedEvent> read(LogPosition after, int max) {
    synchronized (afters) {
      afters.add(after);
    }
    if (failuresToInject.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      throw new CofferException(ErrorCode.STORE_UNAVAILABLE, "The shard store is unavailable.");
    }
    Read<PositionedEvent> read = delegate.read(after, max);
    eventsReturned.addAndGet(read.events().size());
    return read;
  }

  /** The positions read after, in call order. */
  public List<LogPosition> afters() {
    synchronized (afters) {
      return List.copyOf(afters);
    }
  }

  public long eventsReturned() {
    return eventsReturned.get();
  }
}
