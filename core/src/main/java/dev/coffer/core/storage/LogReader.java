package dev.coffer.core.storage;

import dev.coffer.core.model.LogPosition;
import java.util.List;

/**
 * Reads a replication log in position order, never past an entry that could still appear. Each
 * PostgreSQL store with a log (a shard store, the base store) has one; {@code T} is what its
 * entries decode to, with their positions.
 */
public interface LogReader<T> {
  /**
   * Up to {@code max} committed entries after {@code after}. Every entry this returns, and every
   * entry before it, is final: no transaction can later commit an entry at a smaller position.
   *
   * @throws LogTruncatedException when entries after {@code after} were truncated away
   */
  Read<T> read(LogPosition after, int max);

  /**
   * What one read found.
   *
   * @param heldBack committed entries exist beyond what the read could return, held back by an
   *     older transaction still in flight (possibly one that appends nothing, so its end wakes no
   *     reader): the reader should look again soon rather than wait for a notification
   */
  record Read<T>(List<T> events, boolean heldBack) {
    public Read {
      events = List.copyOf(events);
    }
  }
}
