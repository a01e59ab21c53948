package dev.coffer.core.storage;

import dev.coffer.core.event.PositionedEvent;
import dev.coffer.core.model.LogPosition;
import java.util.List;

/**
 * Reads a shard's replication log in position order, never past an event that could still appear.
 */
public interface ReplicationLogReader {
  /**
   * Up to {@code max} committed events after {@code after}. Every event this returns, and every
   * event before it, is final: no transaction can later commit an event at a smaller position.
   */
  List<PositionedEvent> readAfter(LogPosition after, int max);

  /**
   * What one read found.
   *
   * @param heldBack committed events exist beyond what the read could return, held back by an older
   *     transaction still in flight (possibly one that appends nothing, so its end wakes no
   *     reader): the reader should look again soon rather than wait for a notification
   */
  record Read(List<PositionedEvent> events, boolean heldBack) {}

  /**
   * As {@link #readAfter}, also saying whether events are held back; readers that cannot tell say
   * no.
   */
  default Read read(LogPosition after, int max) {
    return new Read(readAfter(after, max), false);
  }
}
