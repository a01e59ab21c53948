package dev.coffer.core.storage;

import dev.coffer.core.crypto.SealedSecret;
import dev.coffer.core.crypto.SecretIdentity;
import dev.coffer.core.crypto.WrappedVaultKey;
import dev.coffer.core.model.LogPosition;
import dev.coffer.core.model.VaultName;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The key ring side of a shard store: vault key rotation, the rewrap of data keys to the new
 * version, and the destruction of retired versions. Every change of a ring or of a data key appends
 * its replication event in the same transaction, as every other mutation does.
 */
public interface VaultKeyStore {
  /** Makes version {@code version} of a vault's key, wrapped by every root (the crypto seam). */
  @FunctionalInterface
  interface KeyMaker {
    WrappedVaultKey make(int version);
  }

  /** Re-wraps one data key from one vault key version to another (the crypto seam). */
  @FunctionalInterface
  interface DataKeyRewrapper {
    SealedSecret rewrap(
        SecretIdentity identity, WrappedVaultKey from, WrappedVaultKey to, SealedSecret sealed);
  }

  /** A change of a vault's ring: the primary version after it and where it landed in the log. */
  record KeyChange(int primaryVersion, LogPosition position) {}

  /** What one rewrap batch to {@code targetVersion} did. */
  record RewrapBatch(int targetVersion, int rewrapped, boolean finished) {}

  /** How far the rewrap to {@code targetVersion} has come. */
  record RewrapProgress(
      int targetVersion,
      long rewrapped,
      long remaining,
      int passes,
      Instant startedAt,
      Instant updatedAt,
      Optional<Instant> finishedAt) {}

  /**
   * One version in a vault's ring: how many secret versions are sealed under it, and how many
   * encryptions under it have been reported ({@link #recordEncryptions}).
   */
  record KeyVersionUse(int version, boolean primary, long sealedSecretVersions, long encryptions) {}

  /** A vault's ring, its use, and the latest rewrap (absent when the key was never rotated). */
  record KeyStatus(
      VaultName vault, List<KeyVersionUse> versions, Optional<RewrapProgress> rewrap) {}

  /**
   * Adds a new primary version, which seals every put from the commit on, and starts (or restarts)
   * the rewrap of existing data keys to it.
   *
   * @throws dev.coffer.core.error.CofferException VAULT_NOT_FOUND, VAULT_KEY_RING_FULL
   */
  KeyChange rotate(VaultName vault, KeyMaker maker);

  /** Vaults whose rewrap has not finished, in name order. */
  List<VaultName> unfinishedRewraps();

  /**
   * Rewraps at most {@code limit} data keys of {@code vault} to its rewrap target, advancing the
   * stored bookmark in the same transaction, so a crash loses no more than an uncommitted batch. A
   * pass that reaches the end proves under a lock that excludes in-flight puts that no data key is
   * left under an older version, and only then marks the rewrap finished; otherwise it starts
   * another pass. Returns empty when there is nothing to do or another worker holds the rewrap.
   */
  Optional<RewrapBatch> rewrapBatch(VaultName vault, int limit, DataKeyRewrapper rewrapper);

  /**
   * @throws dev.coffer.core.error.CofferException VAULT_NOT_FOUND
   */
  KeyStatus status(VaultName vault);

  /**
   * Adds {@code encryptions} made under a vault key version by one process to the stored total,
   * which sums every process's reports, and returns that total.
   *
   * @throws dev.coffer.core.error.CofferException VAULT_NOT_FOUND
   */
  long recordEncryptions(VaultName vault, int version, long encryptions);

  /**
   * Removes a retired version from the ring, after proving in the same transaction, with in-flight
   * puts excluded, that no data key is wrapped by it. Its wrapped bytes are gone from the store and
   * from every host once they apply the event.
   *
   * @throws dev.coffer.core.error.CofferException VAULT_NOT_FOUND, VAULT_KEY_VERSION_NOT_FOUND,
   *     VAULT_KEY_IN_USE (the primary, or data keys remain under it)
   */
  KeyChange destroy(VaultName vault, int version);
}
