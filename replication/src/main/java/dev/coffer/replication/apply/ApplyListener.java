package dev.coffer.replication.apply;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Observes applied batches of log entries of type {@code T}, for metrics. Must be fast: it runs on
 * the apply thread.
 */
@FunctionalInterface
public interface ApplyListener<T> {
  void applied(List<? extends T> batch, Instant appliedAt);

  /**
   * Called just before the batch is applied. Once applied, the batch is readable before {@link
   * #applied} runs; a listener that answers questions about applied events learns here which ones
   * it is about to be told of.
   */
  default void applying(List<? extends T> batch) {}

  /** Observes nothing; for a tailer of any kind of log. */
  ApplyListener<Object> NONE = (batch, appliedAt) -> {};

  /** Tells each listener, in order. */
  @SafeVarargs
  static <T> ApplyListener<T> all(ApplyListener<? super T>... listeners) {
    // Copied element by element: handing the array on to another varargs method is what javac's
    // varargs lint warns of.
    List<ApplyListener<? super T>> each = new ArrayList<>(listeners.length);
    for (ApplyListener<? super T> listener : listeners) {
      each.add(listener);
    }
    return new ApplyListener<T>() {
      @Override
      public void applying(List<? extends T> batch) {
        each.forEach(listener -> listener.applying(batch));
      }

      @Override
      public void applied(List<? extends T> batch, Instant appliedAt) {
        each.forEach(listener -> listener.applied(batch, appliedAt));
      }
    };
  }
}
