package dev.coffer.replication.apply;

import dev.coffer.core.event.PositionedEvent;
import java.time.Instant;
import java.util.List;

/** Observes applied batches, for metrics. Must be fast: it runs on the apply thread. */
@FunctionalInterface
public interface ApplyListener {
  void applied(List<PositionedEvent> batch, Instant appliedAt);

  ApplyListener NONE = (batch, appliedAt) -> {};
}
