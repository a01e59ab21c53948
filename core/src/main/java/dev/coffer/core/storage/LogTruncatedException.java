package dev.coffer.core.storage;

import dev.coffer.core.model.LogPosition;

/**
 * The log no longer holds every event after the reader's position: events up to {@link
 * #truncatedAt()} may be gone. The reader must bootstrap from a snapshot instead of reading on, or
 * it would skip them.
 */
public final class LogTruncatedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient LogPosition truncatedAt;

  public LogTruncatedException(LogPosition readerPosition, LogPosition truncatedAt) {
    super(
        "the log is truncated up to "
            + truncatedAt
            + ", past the reader's position "
            + readerPosition,
        null,
        false,
        false);
    this.truncatedAt = truncatedAt;
  }

  public LogPosition truncatedAt() {
    return truncatedAt;
  }
}
