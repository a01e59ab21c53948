package dev.coffer.dataplane.read;

import dev.coffer.core.crypto.SecretCrypto;
import dev.coffer.core.error.CofferException;
import dev.coffer.core.error.ErrorCode;
import dev.coffer.core.model.ReplicationToken;
import dev.coffer.core.model.SecretMetadata;
import dev.coffer.core.model.SecretName;
import dev.coffer.core.model.ShardId;
import dev.coffer.core.model.VaultName;
import dev.coffer.core.read.RevealedSecret;
import dev.coffer.core.read.SecretReads;
import dev.coffer.core.read.VersionSelector;
import dev.coffer.core.storage.SecretReadAccessor;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Every read from the shard store ({@code readAccessor: remote}). A token needs no wait here: its
 * write committed before the client received it, and every read of the store sees every committed
 * write. It is still checked, so that a wrong token fails the same way in both modes.
 */
public final class RemoteReads implements ReadService {
  private final ShardId shard;
  private final StoreReads remote;
  private final ReadMetrics metrics;

  public RemoteReads(
      ShardId shard, SecretReadAccessor remote, SecretCrypto crypto, ReadMetrics metrics) {
    this.shard = shard;
    this.remote = new StoreReads(remote, crypto, ServedFrom.REMOTE);
    this.metrics = metrics;
  }

  @Override
  public Served<RevealedSecret> get(
      VaultName vault,
      SecretName secret,
      VersionSelector selector,
      Optional<ReplicationToken> token) {
    return answer(token, r -> r.read(vault, secret, selector));
  }

  @Override
  public Served<List<SecretMetadata>> list(
      VaultName vault, Optional<SecretName> after, int limit, Optional<ReplicationToken> token) {
    return answer(token, r -> r.list(vault, after, limit));
  }

  private <T> Served<T> answer(Optional<ReplicationToken> token, Function<SecretReads, T> read) {
    Tokens.positionOn(shard, token);
    try {
      Served<T> served = remote.answer(read);
      metrics.servedRemote.mark();
      return served;
    } catch (CofferException e) {
      if (e.code().category() == ErrorCode.Category.NOT_FOUND) {
        metrics.servedRemote.mark();
      }
      throw e;
    }
  }
}
