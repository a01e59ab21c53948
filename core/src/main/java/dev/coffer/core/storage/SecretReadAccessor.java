package dev.coffer.core.storage;

import dev.coffer.core.model.LogPosition;
import dev.coffer.core.model.SecretMetadata;
import dev.coffer.core.model.SecretName;
import dev.coffer.core.model.SecretVersionRecord;
import dev.coffer.core.model.StageMap;
import dev.coffer.core.model.VaultName;
import dev.coffer.core.model.VaultRecord;
import java.util.List;
import java.util.Optional;

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
   * Live secrets of a vault in name order, starting after {@code after} when present, at most
   * {@code limit} (1..{@value #MAX_LIST_LIMIT}).
   */
  List<SecretMetadata> list(VaultName vault, Optional<SecretName> after, int limit);

  /** This accessor's state includes every event at or below this position. */
  LogPosition position();
}
