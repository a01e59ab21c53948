package dev.coffer.core.storage;

import dev.coffer.core.model.LogPosition;
import dev.coffer.core.model.SecretMetadata;
import dev.coffer.core.model.SecretName;
import dev.coffer.core.model.SecretStage;
import dev.coffer.core.model.SecretVersionRecord;
import dev.coffer.core.model.StageMap;
import dev.coffer.core.model.VaultName;
import dev.coffer.core.model.VaultRecord;
import java.util.List;
import java.util.Optional;
import java.util.function.ToLongFunction;

/**
 * The read side of a shard's data, still encrypted. Data-plane hosts have two implementations: the
 * local replica (RocksDB) and the remote shard store (PostgreSQL); configuration picks one.
 */
public interface SecretReadAccessor {
  int MAX_LIST_LIMIT = 1000;

  Optional<VaultRecord> vault(VaultName vault);

  /**
   * The highest live version, absent when the secret does not exist or is deleted. Not what a
   * default read returns: that is the CURRENT version (see {@link #stages}), which a put with stage
   * PENDING leaves below the highest.
   */
  Optional<SecretVersionRecord> latest(VaultName vault, SecretName secret);

  /**
   * Which versions hold the application-level stages (CURRENT, PREVIOUS, PENDING) of a live secret;
   * absent when the secret does not exist or is deleted. A replica may name a version it has not
   * applied yet (its put arrives in a later batch); reading that version then finds nothing.
   */
  Optional<StageMap> stages(VaultName vault, SecretName secret);

  Optional<SecretVersionRecord> version(VaultName vault, SecretName secret, long version);

  /**
   * The vault, the secret's stage map and the version that map puts in {@code stage}: what a read
   * by stage needs. Absent when the vault does not exist; a stage with no version finds none.
   * Stores that answer it in one query override this; the default makes the three calls, the
   * vault's key ring first.
   */
  default Optional<SecretLookup> lookup(VaultName vault, SecretName secret, SecretStage stage) {
    return lookup(vault, secret, stages -> stages.versionIn(stage));
  }

  /**
   * The vault, the secret's stage map and version {@code version} of a live secret: what a read by
   * number needs. Absent when the vault does not exist. See {@link #lookup(VaultName, SecretName,
   * SecretStage)}.
   */
  default Optional<SecretLookup> lookup(VaultName vault, SecretName secret, long version) {
    return lookup(vault, secret, stages -> version);
  }

  private Optional<SecretLookup> lookup(
      VaultName vault, SecretName secret, ToLongFunction<StageMap> versionOf) {
    return vault(vault)
        .map(
            record -> {
              Optional<StageMap> stages = stages(vault, secret);
              Optional<SecretVersionRecord> found =
                  stages
                      .map(versionOf::applyAsLong)
                      .filter(n -> n > 0)
                      .flatMap(n -> version(vault, secret, n));
              return new SecretLookup(record, stages, found);
            });
  }

  /**
   * Live secrets of a vault in name order, starting after {@code after} when present, at most
   * {@code limit} (1..{@value #MAX_LIST_LIMIT}).
   */
  List<SecretMetadata> list(VaultName vault, Optional<SecretName> after, int limit);

  /** This accessor's state includes every event at or below this position. */
  LogPosition position();
}
