package dev.coffer.replication.postgres;

import dev.coffer.core.crypto.WrappedVaultKey;
import dev.coffer.core.event.VaultCreated;
import dev.coffer.core.model.LogPosition;
import dev.coffer.core.model.VaultName;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

/**
 * The wrapped vault keys of one shard, for operator commands: list them, and replace one with the
 * same key wrapped afresh (after a root key rotation or a recovery). A replacement is published as
 * the vault's event with a higher entity version, so hosts replace their copy as they replicate.
 */
public final class PostgresVaultKeys {
  /** A vault and its stored key. */
  public record StoredKey(VaultName vault, WrappedVaultKey key) {}

  private final ShardDatabase database;

  public PostgresVaultKeys(ShardDatabase database) {
    this.database = database;
  }

  /** Vaults after {@code after} in name order, at most {@code limit}. */
  public List<StoredKey> list(Optional<VaultName> after, int limit) {
    return Storage.call(
        "listing vault keys",
        () ->
            database
                .jdbi()
                .withHandle(
                    h ->
                        h.createQuery(
                                "SELECT name, wrapped_key FROM vaults WHERE name > :after"
                                    + " ORDER BY name LIMIT :limit")
                            .bind("after", after.map(VaultName::value).orElse(""))
                            .bind("limit", limit)
                            .map(
                                (rs, ctx) ->
                                    new StoredKey(
                                        VaultName.of(rs.getString(1)),
                                        new WrappedVaultKey(rs.getBytes(2))))
                            .list()));
  }

  /**
   * Stores {@code replacement} in place of {@code current}, which must still be the stored key: the
   * caller unwrapped {@code current} and wrapped the same key again, so a concurrent change means
   * its work is stale.
   *
   * @return the log position of the replacement, or empty when the stored key was not {@code
   *     current}
   */
  public Optional<LogPosition> replace(
      VaultName vault, WrappedVaultKey current, WrappedVaultKey replacement) {
    return Storage.call(
        "replacing a vault key",
        () ->
            database
                .jdbi()
                .inTransaction(
                    h -> {
                      Optional<VaultCreated> updated =
                          h.createQuery(
                                  "UPDATE vaults SET wrapped_key = :replacement,"
                                      + " entity_version = entity_version + 1"
                                      + " WHERE name = :vault AND wrapped_key = :current"
                                      + " RETURNING entity_version, created_at")
                              .bind("vault", vault.value())
                              .bind("current", current.bytes())
                              .bind("replacement", replacement.bytes())
                              .map(
                                  (rs, ctx) ->
                                      new VaultCreated(
                                          vault,
                                          rs.getLong(1),
                                          replacement,
                                          rs.getObject(2, OffsetDateTime.class).toInstant()))
                              .findOne();
                      return updated.map(event -> PostgresLogWriter.append(h, event));
                    }));
  }
}
