package dev.coffer.dataplane.read;

import dev.coffer.core.model.LogPosition;

/**
 * A read's answer with where it came from.
 *
 * @param position the answering state includes every event at or below it
 */
public record Served<T>(T answer, LogPosition position, ServedFrom from) {
  /** Never prints the answer: it may hold a secret value. */
  @Override
  public String toString() {
    return "Served[from=" + from.header() + ", position=" + position + "]";
  }
}
