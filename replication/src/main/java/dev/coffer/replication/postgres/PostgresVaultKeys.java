package dev.coffer.replication.postgres;

import dev.coffer.core.crypto.VaultKeyRing;
import dev.coffer.core.model.LogPosition;
import dev.coffer.core.model.VaultName;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The wrapped vault keys of one shard, for operator commands: list them, and replace one with the
 * same key wrapped afresh (after a root key rotation or a recovery). A replacement is published as
 * the vault's event with a higher entity version, so hosts replace their copy as they replicate.
 */
public final class PostgresVaultKeys {
  /** A vault's stored key ring, as of the vault's entity version. */
  public record StoredKey(VaultName vault, long entityVersion, VaultKeyRing keys) {}

  private final ShardDatabase database;

  public PostgresVaultKeys(ShardDatabase database) {
    this.database = database;
  }

  /** Vaults after {@code after} in name order, at most {@code limit}. */
  public List<StoredKey> list(Optional<VaultName> after, int limit) {
    return Storage.withHandle(
        database,
        "listing vault keys",
        h ->
            h.createQuery(
                    "SELECT name, entity_version, wrapped_key FROM vaults WHERE name > :after"
                        + " ORDER BY name LIMIT :limit")
                .bind("after", after.map(VaultName::value).orElse(""))
                .bind("limit", limit)
                .map(
                    (rs, ctx) ->
                        new StoredKey(
                            VaultName.of(rs.getString(1)),
                            rs.getLong(2),
                            VaultKeyRing.decode(rs.getBytes(3))))
                .list());
  }

  /**
   * Stores {@code replacement} in place of the ring listed as {@code current}, which must still be
   * the stored one (same entity version): the caller unwrapped its keys and wrapped the same keys
   * again, so a concurrent change (a rotation, say) means its work is stale.
   *
   * @return the log position of the replacement, or empty when the vault changed since listing
   */
  public Optional<LogPosition> replace(StoredKey current, VaultKeyRing replacement) {
    return Storage.inLogTransaction(
        database,
        "replacing a vault key",
        h ->
            PostgresVaultKeyStore.storeRing(
                h, current.vault(), replacement, OptionalLong.of(current.entityVersion())));
  }
}
