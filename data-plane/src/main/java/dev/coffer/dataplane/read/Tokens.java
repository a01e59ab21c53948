package dev.coffer.dataplane.read;

import dev.coffer.core.error.CofferException;
import dev.coffer.core.error.ErrorCode;
import dev.coffer.core.model.LogPosition;
import dev.coffer.core.model.ReplicationToken;
import dev.coffer.core.model.ShardId;
import java.util.Optional;

/** The checks a token must pass before a host may use its position. */
public final class Tokens {
  private Tokens() {}

  /**
   * Positions of different shards' logs are unrelated numbers, so another shard's token can be
   * neither honoured nor ignored: ignoring it would silently drop the guarantee the client asked
   * for. It is the client's mistake (the wrong token, or the wrong host), hence 400, not 409.
   */
  public static Optional<LogPosition> positionOn(ShardId shard, Optional<ReplicationToken> token) {
    if (token.isEmpty()) {
      return Optional.empty();
    }
    ReplicationToken presented = token.get();
    if (!presented.shard().equals(shard)) {
      throw new CofferException(
          ErrorCode.INVALID_REPLICATION_TOKEN,
          "The replication token is of another shard than the one this host serves ('"
              + shard
              + "'); present the token of a write to a vault of this shard.");
    }
    return Optional.of(presented.position());
  }
}
