package dev.coffer.core.storage;

import dev.coffer.core.model.LogPosition;
import dev.coffer.core.model.SecretMetadata;
import dev.coffer.core.model.SecretName;
import dev.coffer.core.model.SecretVersionRecord;
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

  /** The highest live version, absent when the secret does not exist or is deleted. */
  Optional<SecretVersionRecord> latest(VaultName vault, SecretName secret);

  Optional<SecretVersionRecord> version(VaultName vault, SecretName secret, long version);

  /**
   * Live secrets of a vault in name order, starting after {@code after} when present, at most
   * {@code limit} (1..{@value #MAX_LIST_LIMIT}).
   */
  List<SecretMetadata> list(VaultName vault, Optional<SecretName> after, int limit);

  /** This accessor's state includes every event at or below this position. */
  LogPosition position();
}
