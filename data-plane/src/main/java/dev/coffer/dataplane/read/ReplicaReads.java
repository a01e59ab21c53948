package dev.coffer.dataplane.read;

import dev.coffer.core.crypto.SecretCrypto;
import dev.coffer.core.error.CofferException;
import dev.coffer.core.error.ErrorCode;
import dev.coffer.core.model.LogPosition;
import dev.coffer.core.model.ReplicationToken;
import dev.coffer.core.model.SecretMetadata;
import dev.coffer.core.model.SecretName;
import dev.coffer.core.model.ShardId;
import dev.coffer.core.model.VaultName;
import dev.coffer.core.read.RevealedSecret;
import dev.coffer.core.read.SecretReads;
import dev.coffer.core.read.VersionSelector;
import dev.coffer.core.storage.SecretReadAccessor;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads of a host in {@code readAccessor: local} mode: from the replica whenever its state is good
 * enough, from the shard store for a single request when it is not.
 *
 * <ul>
 *   <li>A presented token is honoured locally once the replica has applied its position, waiting up
 *       to a bound for that; after the bound the shard store answers, because it holds every
 *       committed write.
 *   <li>Anything the replica does not have (vault, secret, version, or a version in the stage asked
 *       for) is looked up in the shard store: it may simply not be applied yet, and a client that
 *       wrote it must not be told it does not exist. If the shard store cannot be reached, the
 *       replica's not-found stands: reads must survive the loss of the shard's database.
 * </ul>
 *
 * <p>Stage reads follow the same two rules. Without a token, a replica that has a version in the
 * stage answers with it, even if a promotion it has not applied yet has moved the stage: that is
 * the older state any tokenless read may see, and it is consistent (the version, its value and its
 * stages as of the replica's position). With the promotion's token, the replica answers only once
 * it has applied the promotion, else the shard store does. A stage the replica has empty (only a
 * PENDING version so far, no PREVIOUS yet) or naming a version it has not applied counts as missing
 * and falls back.
 *
 * <p>The second rule makes every genuine not-found cost one shard-store lookup. That is bounded per
 * request, not overall: the {@code fallback.missing-locally} meter shows the rate.
 */
public final class ReplicaReads implements ReadService {
  /** A vault is included for gets and lists: a client may create one and use it straight away. */
  private static final Set<ErrorCode> MISSING_ON_GET =
      EnumSet.of(
          ErrorCode.VAULT_NOT_FOUND,
          ErrorCode.SECRET_NOT_FOUND,
          ErrorCode.VERSION_NOT_FOUND,
          ErrorCode.NO_VERSION_IN_STAGE);

  private static final Set<ErrorCode> MISSING_ON_LIST = EnumSet.of(ErrorCode.VAULT_NOT_FOUND);

  private final ShardId shard;
  private final StoreReads local;
  private final StoreReads remote;
  private final PositionWaiter waiter;
  private final Duration readYourWritesWait;
  private final ReadMetrics metrics;

  /**
   * @param readYourWritesWait how long a read with a token not yet applied locally may wait for the
   *     replica before the shard store answers it
   */
  public ReplicaReads(
      ShardId shard,
      SecretReadAccessor local,
      SecretReadAccessor remote,
      PositionWaiter waiter,
      Duration readYourWritesWait,
      SecretCrypto crypto,
      ReadMetrics metrics) {
    if (readYourWritesWait.isNegative()) {
      throw new IllegalArgumentException("readYourWritesWait must not be negative");
    }
    this.shard = shard;
    this.local = new StoreReads(local, crypto, ServedFrom.LOCAL);
    this.remote = new StoreReads(remote, crypto, ServedFrom.REMOTE);
    this.waiter = waiter;
    this.readYourWritesWait = readYourWritesWait;
    this.metrics = metrics;
  }

  @Override
  public Served<RevealedSecret> get(
      VaultName vault,
      SecretName secret,
      VersionSelector selector,
      Optional<ReplicationToken> token) {
    return route(token, r -> r.read(vault, secret, selector), MISSING_ON_GET);
  }

  @Override
  public Served<List<SecretMetadata>> list(
      VaultName vault, Optional<SecretName> after, int limit, Optional<ReplicationToken> token) {
    return route(token, r -> r.list(vault, after, limit), MISSING_ON_LIST);
  }

  private <T> Served<T> route(
      Optional<ReplicationToken> token, Function<SecretReads, T> read, Set<ErrorCode> missing) {
    Optional<LogPosition> required = Tokens.positionOn(shard, token);
    if (required.isPresent() && !replicaReaches(required.get())) {
      metrics.tokenWaitExpired.mark();
      return remoteForToken(read);
    }
    Served<T> served;
    try {
      served = local.answer(read);
    } catch (CofferException e) {
      if (!missing.contains(e.code())) {
        throw e;
      }
      return remoteForMissing(read, e);
    }
    metrics.servedLocal.mark();
    return served;
  }

  private boolean replicaReaches(LogPosition target) {
    if (local.position().isAtLeast(target)) {
      return true;
    }
    try {
      waiter.awaitApplied(target, readYourWritesWait);
    } catch (InterruptedException e) {
      // The request still deserves an answer; the shard store gives one without waiting.
      Thread.currentThread().interrupt();
    }
    // Decided on the replica's own position, not the waiter's word: the local answer's header
    // reports that position, and it must include the token.
    boolean reached = local.position().isAtLeast(target);
    if (reached) {
      metrics.tokenAppliedDuringWait.mark();
    }
    return reached;
  }

  private <T> Served<T> remoteForToken(Function<SecretReads, T> read) {
    try {
      return fromRemote(read);
    } catch (CofferException e) {
      if (e.code() != ErrorCode.STORE_UNAVAILABLE) {
        throw e;
      }
      metrics.remoteUnavailable.mark();
      // The replica's older state would break the promise the token asks for, so no answer is
      // better than a silently stale one; the client may retry, or drop the token to accept it.
      throw new CofferException(
          ErrorCode.STORE_UNAVAILABLE,
          "This host has not applied the write of the replication token yet and the shard store is"
              + " unavailable; retry later, or read without the token to accept this host's older"
              + " state.",
          e);
    }
  }

  private <T> Served<T> remoteForMissing(Function<SecretReads, T> read, CofferException localMiss) {
    metrics.missingLocally.mark();
    try {
      return fromRemote(read);
    } catch (CofferException e) {
      if (e.code() != ErrorCode.STORE_UNAVAILABLE) {
        throw e;
      }
      metrics.remoteUnavailable.mark();
      metrics.servedLocal.mark();
      throw localMiss;
    }
  }

  /** A not-found from the shard store is its answer too, and is counted as served from it. */
  private <T> Served<T> fromRemote(Function<SecretReads, T> read) {
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
