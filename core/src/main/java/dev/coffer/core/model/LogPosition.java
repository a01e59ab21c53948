package dev.coffer.core.model;

import java.util.Comparator;

/**
 * A position in a shard's replication log: the writing transaction's id, then the event's sequence
 * number. Readers consume events in this order and only below the oldest in-flight transaction, so
 * a transaction that commits late can never be skipped (see docs/replication.md).
 */
public record LogPosition(long txId, long seq) implements Comparable<LogPosition> {
  public static final LogPosition ZERO = new LogPosition(0, 0);

  private static final Comparator<LogPosition> ORDER =
      Comparator.comparingLong(LogPosition::txId).thenComparingLong(LogPosition::seq);

  public LogPosition {
    if (txId < 0 || seq < 0) {
      throw new IllegalArgumentException("log positions are non-negative");
    }
  }

  @Override
  public int compareTo(LogPosition other) {
    return ORDER.compare(this, other);
  }

  public boolean isAtLeast(LogPosition other) {
    return compareTo(other) >= 0;
  }

  public static LogPosition max(LogPosition a, LogPosition b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  /** Compact text form {@code txId.seq}, used in tokens and headers. */
  @Override
  public String toString() {
    return txId + "." + seq;
  }

  public static LogPosition parse(String text) {
    int dot = text.indexOf('.');
    if (dot <= 0 || dot == text.length() - 1) {
      throw new IllegalArgumentException("not a log position");
    }
    return new LogPosition(
        Long.parseLong(text.substring(0, dot)), Long.parseLong(text.substring(dot + 1)));
  }
}
