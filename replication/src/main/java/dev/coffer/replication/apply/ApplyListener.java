package dev.coffer.replication.apply;

import dev.coffer.core.event.PositionedEvent;
import java.time.Instant;
import java.util.List;

/** Observes applied batches, for metrics. Must be fast: it runs on the apply thread. */
@FunctionalInterface
public interface ApplyListener {
  void applied(List<PositionedEvent> batch, Instant appliedAt);

  /**
   * Called just before the batch is applied. Once applied, the batch is readable before {@link
   * #applied} runs; a listener that answers questions about applied events learns here which ones
   * it is about to be told of.
   */
  default void applying(List<PositionedEvent> batch) {}

  ApplyListener NONE = (batch, appliedAt) -> {};

  /** Tells each listener, in order. */
  static ApplyListener all(ApplyListener... listeners) {
    List<ApplyListener> each = List.of(listeners);
    return new ApplyListener() {
      @Override
      public void applying(List<PositionedEvent> batch) {
        each.forEach(listener -> listener.applying(batch));
      }

      @Override
      public void applied(List<PositionedEvent> batch, Instant appliedAt) {
        each.forEach(listener -> listener.applied(batch, appliedAt));
      }
    };
  }
}
