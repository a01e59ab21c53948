package dev.coffer.core.storage;

import dev.coffer.core.event.PositionedEvent;
import dev.coffer.core.model.LogPosition;
import java.util.List;

/**
 * A host's local materialised view of its shard's log. {@link #apply} writes a batch's effects and
 * the new applied position atomically, so a crash at any instant leaves data and position
 * consistent, and replay of an already applied event changes nothing.
 */
public interface ReplicaStore
    extends SecretReadAccessor, LogReplica<PositionedEvent>, AutoCloseable {
  /**
   * Applies events in order and records the last one's position, all or nothing. Per entity the
   * outcome does not depend on delivery order: an older entity version never overwrites a newer one
   * and a tombstone wins over every older version.
   */
  @Override
  void apply(List<PositionedEvent> batch);

  @Override
  default LogPosition position() {
    return appliedPosition();
  }

  @Override
  void close();
}
