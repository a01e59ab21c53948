package dev.coffer.core.event;

import dev.coffer.core.model.LogPosition;
import java.time.Instant;

/**
 * An event as read from the log, with its position and when it was appended (for lag metrics only;
 * {@link Instant#EPOCH} when unknown).
 */
public record PositionedEvent(LogPosition position, ReplicationEvent event, Instant appendedAt) {
  public PositionedEvent(LogPosition position, ReplicationEvent event) {
    this(position, event, Instant.EPOCH);
  }
}
