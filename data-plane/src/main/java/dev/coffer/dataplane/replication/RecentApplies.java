package dev.coffer.dataplane.replication;

import dev.coffer.core.event.PositionedEvent;
import dev.coffer.core.model.LogPosition;
import dev.coffer.dataplane.read.ApplyTimes;
import dev.coffer.replication.apply.ApplyListener;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The append-to-apply time of the last {@code capacity} events this host applied, by position.
 *
 * <p>A ring of primitive arrays, so that remembering an event allocates nothing: the apply thread
 * runs for the host's whole life, and objects that live a minute would all be promoted and churn
 * the old generation. The tailer applies in position order, so the ring is sorted and a lookup is a
 * binary search; a position that does not follow the last one (the replica was rebuilt) starts the
 * ring afresh.
 *
 * <p>A batch is readable a moment before the tailer reports it applied, so a read may ask about an
 * event this ring is about to record: told of the batch beforehand ({@link #applying}), it waits
 * for that record, a bounded while, instead of answering that it does not know.
 *
 * <p>The append time is the shard store's clock and the apply time this host's: on one machine they
 * are the same clock; across machines the figure includes their skew, and a negative one (a store
 * clock ahead of ours) is reported as zero. Events applied from a bootstrap snapshot carry no
 * append time and are not remembered.
 */
public final class RecentApplies implements ApplyListener<PositionedEvent>, ApplyTimes {
  /** Far longer than the apply thread takes from apply to record, unless it is starved. */
  private static final Duration RECORD_WAIT = Duration.ofMillis(50);

  private final long[] txIds;
  private final long[] seqs;
  private final long[] micros;

  /** Index of the oldest entry, and how many there are. */
  private int first;

  private int size;

  /** The last position of the batch being applied, and of the last one recorded. */
  private LogPosition applyingUpTo = LogPosition.ZERO;

  private LogPosition recordedUpTo = LogPosition.ZERO;

  public RecentApplies(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be positive");
    }
    this.txIds = new long[capacity];
    this.seqs = new long[capacity];
    this.micros = new long[capacity];
  }

  @Override
  public synchronized void applying(List<? extends PositionedEvent> batch) {
    if (!batch.isEmpty()) {
      applyingUpTo = batch.get(batch.size() - 1).position();
    }
  }

  @Override
  public synchronized void applied(List<? extends PositionedEvent> batch, Instant appliedAt) {
    for (PositionedEvent event : batch) {
      if (event.appendedAt().equals(Instant.EPOCH)) {
        continue;
      }
      LogPosition position = event.position();
      if (size > 0 && position.compareTo(at(size - 1)) <= 0) {
        size = 0;
        first = 0;
      }
      long took = Math.max(0, micros(event.appendedAt(), appliedAt));
      int slot;
      if (size < txIds.length) {
        slot = (first + size++) % txIds.length;
      } else {
        slot = first;
        first = (first + 1) % txIds.length;
      }
      txIds[slot] = position.txId();
      seqs[slot] = position.seq();
      micros[slot] = took;
    }
    if (!batch.isEmpty()) {
      recordedUpTo = batch.get(batch.size() - 1).position();
    }
    notifyAll();
  }

  @Override
  public synchronized Optional<Duration> appendedToApplied(LogPosition position) {
    long deadline = System.nanoTime() + RECORD_WAIT.toNanos();
    while (position.compareTo(recordedUpTo) > 0 && position.compareTo(applyingUpTo) <= 0) {
      long remaining = deadline - System.nanoTime();
      if (remaining <= 0) {
        return Optional.empty();
      }
      try {
        TimeUnit.NANOSECONDS.timedWait(this, remaining);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Optional.empty();
      }
    }
    int index = firstAtOrAfter(position);
    if (index < size && at(index).equals(position)) {
      return Optional.of(took(index));
    }
    return Optional.empty();
  }

  /**
   * Does not wait for a batch being recorded: a caller collecting figures asks again from the last
   * position it was given.
   */
  @Override
  public synchronized List<Applied> after(LogPosition position, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be positive");
    }
    int index = firstAtOrAfter(position);
    if (index < size && at(index).equals(position)) {
      index++;
    }
    int end = Math.min(size, index + limit);
    List<Applied> page = new ArrayList<>(Math.max(0, end - index));
    for (int i = index; i < end; i++) {
      page.add(new Applied(at(i), took(i)));
    }
    return page;
  }

  /** Index of the first remembered event at or after {@code position}; {@code size} if none. */
  private int firstAtOrAfter(LogPosition position) {
    int low = 0;
    int high = size;
    while (low < high) {
      int mid = (low + high) >>> 1;
      if (at(mid).compareTo(position) < 0) {
        low = mid + 1;
      } else {
        high = mid;
      }
    }
    return low;
  }

  private Duration took(int index) {
    return Duration.ofNanos(micros[slot(index)] * 1000);
  }

  private LogPosition at(int index) {
    int slot = slot(index);
    return new LogPosition(txIds[slot], seqs[slot]);
  }

  private int slot(int index) {
    return (first + index) % txIds.length;
  }

  private static long micros(Instant from, Instant to) {
    return Duration.between(from, to).toNanos() / 1000;
  }
}
