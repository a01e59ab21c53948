package dev.coffer.core.storage;

import dev.coffer.core.event.PositionedEvent;
import dev.coffer.core.model.LogPosition;
import java.util.List;

/**
 * Reads a shard's replication log in position order, never past an event that could still appear.
 */
public interface ReplicationLogReader extends LogReader<PositionedEvent> {
  /**
   * Up to {@code max} committed events after {@code after}. Every event this returns, and every
   * event before it, is final: no transaction can later commit an event at a smaller position.
   */
  List<PositionedEvent> readAfter(LogPosition after, int max);

  /**
   * As {@link #readAfter}, also saying whether events are held back; readers that cannot tell say
   * no.
   */
  @Override
  default Read<PositionedEvent> read(LogPosition after, int max) {
    return new Read<>(readAfter(after, max), false);
  }
}
