package dev.coffer.core.storage;

import dev.coffer.core.model.LogPosition;
import java.util.List;

/**
 * A local materialised view of a replication log, kept up to date by a tailer. {@link #apply}
 * writes a batch's effects and the new applied position atomically, so a crash at any instant
 * leaves data and position consistent, and the tailer resumes after the last applied entry.
 */
public interface LogReplica<T> {
  /** Applies entries in log order and records the last one's position, all or nothing. */
  void apply(List<T> batch);

  /** The position of the last applied entry, {@link LogPosition#ZERO} for an empty replica. */
  LogPosition appliedPosition();
}
