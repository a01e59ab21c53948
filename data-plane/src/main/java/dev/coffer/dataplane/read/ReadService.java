package dev.coffer.dataplane.read;

import dev.coffer.core.model.ReplicationToken;
import dev.coffer.core.model.SecretMetadata;
import dev.coffer.core.model.SecretName;
import dev.coffer.core.model.VaultName;
import dev.coffer.core.read.RevealedSecret;
import dev.coffer.core.read.VersionSelector;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A host's reads. A read that presents a replication token is answered only from state that
 * includes the token's write.
 *
 * @see ReplicaReads
 * @see RemoteReads
 */
public interface ReadService {
  /**
   * @throws dev.coffer.core.error.CofferException INVALID_REPLICATION_TOKEN when the token is of
   *     another shard; the not-found codes; STORE_UNAVAILABLE when no store can answer
   */
  Served<RevealedSecret> get(
      VaultName vault,
      SecretName secret,
      VersionSelector selector,
      Optional<ReplicationToken> token);

  /** Version {@code n} when present, else the CURRENT version. */
  default Served<RevealedSecret> get(
      VaultName vault, SecretName secret, OptionalLong version, Optional<ReplicationToken> token) {
    return get(vault, secret, VersionSelector.of(version), token);
  }

  Served<List<SecretMetadata>> list(
      VaultName vault, Optional<SecretName> after, int limit, Optional<ReplicationToken> token);
}
