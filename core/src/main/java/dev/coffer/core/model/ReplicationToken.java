package dev.coffer.core.model;

import dev.coffer.core.error.CofferException;
import dev.coffer.core.error.ErrorCode;

/**
 * Returned by every write: the shard and log position of the write. A reader that presents it is
 * answered only from state that includes the write. Text form: {@code shard-1:1234.56}.
 */
public record ReplicationToken(ShardId shard, LogPosition position) {
  @Override
  public String toString() {
    return shard.value() + ":" + position;
  }

  public static ReplicationToken parse(String text) {
    int colon = text == null ? -1 : text.indexOf(':');
    try {
      if (colon <= 0) {
        throw new IllegalArgumentException("no shard");
      }
      return new ReplicationToken(
          ShardId.of(text.substring(0, colon)), LogPosition.parse(text.substring(colon + 1)));
    } catch (IllegalArgumentException | CofferException e) {
      throw new CofferException(
          ErrorCode.INVALID_REPLICATION_TOKEN,
          "The replication token is not valid; it has the form <shard>:<txid>.<seq>, as returned by a"
              + " write.");
    }
  }
}
