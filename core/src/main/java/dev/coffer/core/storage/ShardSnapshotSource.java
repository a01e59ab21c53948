package dev.coffer.core.storage;

import dev.coffer.core.event.ReplicationEvent;
import dev.coffer.core.model.LogPosition;
import java.util.function.Consumer;

/** A consistent snapshot of a shard's state, for hosts that cannot catch up from the log. */
public interface ShardSnapshotSource {
  /**
   * Streams the shard's whole state as events (vaults, each secret's latest tombstone, every live
   * version, then each live secret's stage map at the secret's entity version), all from one
   * consistent snapshot.
   *
   * @return the position to tail from afterwards: every event below it is reflected in the
   *     snapshot; events at or after it may be too, and replaying them is harmless (apply is
   *     idempotent)
   */
  LogPosition stream(Consumer<ReplicationEvent> sink);
}
