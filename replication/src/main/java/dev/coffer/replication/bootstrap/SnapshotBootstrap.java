package dev.coffer.replication.bootstrap;

import dev.coffer.core.event.PositionedEvent;
import dev.coffer.core.event.ReplicationEvent;
import dev.coffer.core.model.LogPosition;
import dev.coffer.core.storage.ReplicaStore;
import dev.coffer.core.storage.ShardSnapshotSource;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a replica up to a consistent snapshot of its shard, for a new host or one that fell behind
 * the log's truncation point; tailing then resumes from the snapshot's position.
 *
 * <p>The snapshot is applied in chunks that keep the replica's current position, and only the last
 * chunk moves the position to the snapshot's: a crash in the middle leaves the replica behind the
 * truncation point, so the next start bootstraps again instead of trusting a half-applied snapshot.
 * Merging into an existing replica is safe because apply is a per-entity merge: the snapshot's
 * tombstones remove what was deleted in the history the replica missed.
 */
public final class SnapshotBootstrap {
  private static final Logger LOG = LoggerFactory.getLogger(SnapshotBootstrap.class);

  private final ShardSnapshotSource source;
  private final int chunkSize;

  public SnapshotBootstrap(ShardSnapshotSource source, int chunkSize) {
    if (chunkSize < 1) {
      throw new IllegalArgumentException("chunkSize must be positive");
    }
    this.source = source;
    this.chunkSize = chunkSize;
  }

  /**
   * @return the replica's position afterwards
   */
  public LogPosition bootstrap(ReplicaStore replica) {
    LogPosition held = replica.appliedPosition();
    List<PositionedEvent> chunk = new ArrayList<>(chunkSize);
    ReplicationEvent[] last = new ReplicationEvent[1];
    long[] count = new long[1];
    LogPosition start =
        source.stream(
            event -> {
              if (last[0] != null) {
                chunk.add(new PositionedEvent(held, last[0]));
                if (chunk.size() == chunkSize) {
                  replica.apply(List.copyOf(chunk));
                  chunk.clear();
                }
              }
              last[0] = event;
              count[0]++;
            });
    if (last[0] == null) {
      LOG.info("Bootstrap found an empty shard; tailing from {}.", replica.appliedPosition());
      return replica.appliedPosition();
    }
    // The final event carries the snapshot's position, committing the whole snapshot at once.
    chunk.add(new PositionedEvent(LogPosition.max(held, start), last[0]));
    replica.apply(List.copyOf(chunk));
    LOG.info(
        "Bootstrapped the replica from a snapshot of {} entities; tailing from {}.",
        count[0],
        replica.appliedPosition());
    return replica.appliedPosition();
  }
}
