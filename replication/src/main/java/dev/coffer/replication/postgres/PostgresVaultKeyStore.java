package dev.coffer.replication.postgres;

import dev.coffer.core.crypto.SealedSecret;
import dev.coffer.core.crypto.SecretIdentity;
import dev.coffer.core.crypto.VaultKeyRing;
import dev.coffer.core.crypto.WrappedVaultKey;
import dev.coffer.core.error.CofferException;
import dev.coffer.core.error.ErrorCode;
import dev.coffer.core.event.SecretVersionPut;
import dev.coffer.core.event.VaultCreated;
import dev.coffer.core.model.LogPosition;
import dev.coffer.core.model.SecretName;
import dev.coffer.core.model.StageMap;
import dev.coffer.core.model.VaultName;
import dev.coffer.core.storage.VaultKeyStore;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.jdbi.v3.core.Handle;

/**
 * Vault key rotation on a PostgreSQL shard store. The two proofs (a rewrap is finished; a retired
 * version seals nothing) lock the vault row FOR UPDATE before counting: every put holds that row
 * FOR KEY SHARE from before it reads the ring until it commits, so the lock waits out a put that
 * sealed under the ring as it was before a rotation, and a put that starts later reads the new
 * ring. Without it a put in flight could commit a data key under the old version after the count.
 */
public final class PostgresVaultKeyStore implements VaultKeyStore {
  private final ShardDatabase database;

  public PostgresVaultKeyStore(ShardDatabase database) {
    this.database = database;
  }

  @Override
  public KeyChange rotate(VaultName vault, KeyMaker maker) {
    return inTransaction(
        "rotating the vault key",
        h -> {
          // The rewrap's row first, then the vault's: the order a rewrap batch takes them in.
          h.createQuery("SELECT vault FROM vault_key_rewraps WHERE vault = :vault FOR UPDATE")
              .bind("vault", vault.value())
              .mapTo(String.class)
              .findOne();
          VaultKeyRing ring = lockVault(h, vault, "FOR NO KEY UPDATE");
          int next = ring.primaryVersion() + 1;
          WrappedVaultKey key = maker.make(next);
          if (key.version() != next) {
            throw new IllegalStateException("the new vault key has the wrong version");
          }
          LogPosition position = storeRing(h, vault, ring.withPrimary(key));
          h.createUpdate(
                  "INSERT INTO vault_key_rewraps (vault, target_version, started_at, updated_at)"
                      + " VALUES (:vault, :target, now(), now())"
                      + " ON CONFLICT (vault) DO UPDATE SET target_version = EXCLUDED.target_version,"
                      + " after_secret = '', after_version = 0, passes = 1, rewrapped = 0,"
                      + " started_at = now(), updated_at = now(), finished_at = NULL")
              .bind("vault", vault.value())
              .bind("target", next)
              .execute();
          return new KeyChange(next, position);
        });
  }

  @Override
  public List<VaultName> unfinishedRewraps() {
    return Storage.withHandle(
        database,
        "listing vault key rewraps",
        h ->
            h.createQuery(
                    "SELECT vault FROM vault_key_rewraps WHERE finished_at IS NULL"
                        + " ORDER BY vault")
                .map((rs, ctx) -> VaultName.of(rs.getString(1)))
                .list());
  }

  /** A data key the batch may rewrap. */
  private record Candidate(String secret, long version) {}

  @Override
  public Optional<RewrapBatch> rewrapBatch(VaultName vault, int limit, DataKeyRewrapper rewrapper) {
    if (limit < 1) {
      throw new IllegalArgumentException("a batch rewraps at least one data key");
    }
    return inTransaction(
        "rewrapping data keys",
        h -> {
          // SKIP LOCKED: a second control plane working the same vault moves on instead of waiting.
          Optional<Map<String, Object>> job =
              h.createQuery(
                      "SELECT target_version, after_secret, after_version FROM vault_key_rewraps"
                          + " WHERE vault = :vault AND finished_at IS NULL FOR UPDATE SKIP LOCKED")
                  .bind("vault", vault.value())
                  .mapToMap()
                  .findOne();
          if (job.isEmpty()) {
            return Optional.empty();
          }
          int target = ((Number) job.get().get("target_version")).intValue();
          VaultKeyRing ring = readRing(h, vault);
          WrappedVaultKey to =
              ring.version(target)
                  .orElseThrow(() -> new IllegalStateException("the rewrap target left the ring"));
          List<Candidate> candidates =
              h.createQuery(
                      "SELECT secret, version FROM secret_versions WHERE vault = :vault"
                          + " AND (secret, version) > (:afterSecret COLLATE \"C\", :afterVersion)"
                          + " AND vault_key_version < :target ORDER BY secret, version LIMIT :limit")
                  .bind("vault", vault.value())
                  .bind("afterSecret", (String) job.get().get("after_secret"))
                  .bind("afterVersion", ((Number) job.get().get("after_version")).longValue())
                  .bind("target", target)
                  .bind("limit", limit)
                  .map((rs, ctx) -> new Candidate(rs.getString(1), rs.getLong(2)))
                  .list();
          if (candidates.isEmpty()) {
            // The end of a pass, proved in a batch of its own: holding secret row locks while
            // waiting for the vault row would deadlock with a put, which takes them the other way.
            lockVault(h, vault, "FOR UPDATE");
            boolean done = sealedBelow(h, vault, target) == 0;
            advance(h, vault, 0, "", 0, done);
            return Optional.of(new RewrapBatch(target, 0, done));
          }
          int rewrapped = 0;
          for (Candidate candidate : candidates) {
            if (rewrapOne(h, vault, candidate, ring, to, rewrapper)) {
              rewrapped++;
            }
          }
          Candidate last = candidates.get(candidates.size() - 1);
          advance(h, vault, rewrapped, last.secret(), last.version(), false);
          return Optional.of(new RewrapBatch(target, rewrapped, false));
        });
  }

  /**
   * Rewraps one data key under its secret's row lock, which orders it with puts, promotions and
   * deletes of that secret. The event is a put of the same version with the secret's next entity
   * version and current stage map: replicas already keep the put of the highest entity version per
   * version number, so they take the new wrapped key whatever order they see events in.
   */
  private static boolean rewrapOne(
      Handle h,
      VaultName vault,
      Candidate candidate,
      VaultKeyRing ring,
      WrappedVaultKey to,
      DataKeyRewrapper rewrapper) {
    Optional<Map<String, Object>> secret =
        h.createQuery(
                "UPDATE secrets SET entity_version = entity_version + 1"
                    + " WHERE vault = :vault AND name = :name AND deleted_at IS NULL"
                    + " RETURNING entity_version, current_version, previous_version,"
                    + " pending_version")
            .bind("vault", vault.value())
            .bind("name", candidate.secret())
            .mapToMap()
            .findOne();
    if (secret.isEmpty()) {
      return false; // deleted since the batch listed it
    }
    record Row(SealedSecret sealed, int vaultKeyVersion, Instant createdAt) {}
    Optional<Row> row =
        h.createQuery(
                "SELECT wrapped_data_key, ciphertext, vault_key_version, created_at"
                    + " FROM secret_versions WHERE vault = :vault AND secret = :name"
                    + " AND version = :version")
            .bind("vault", vault.value())
            .bind("name", candidate.secret())
            .bind("version", candidate.version())
            .map(
                (rs, ctx) ->
                    new Row(
                        new SealedSecret(rs.getBytes(1), rs.getBytes(2)),
                        rs.getInt(3),
                        rs.getObject(4, OffsetDateTime.class).toInstant()))
            .findOne();
    if (row.isEmpty() || row.get().vaultKeyVersion() >= to.version()) {
      // Gone or already current: the entity version bump without an event is harmless (versions
      // only need to grow), and rolling back one statement is not worth a savepoint.
      return false;
    }
    SecretName name = SecretName.of(candidate.secret());
    WrappedVaultKey from =
        ring.version(row.get().vaultKeyVersion())
            .orElseThrow(
                () ->
                    new CofferException(
                        ErrorCode.DECRYPTION_FAILED,
                        "A data key of the vault is wrapped by a vault key version the vault no"
                            + " longer holds."));
    SealedSecret rewrapped =
        rewrapper.rewrap(
            new SecretIdentity(vault, name, candidate.version()), from, to, row.get().sealed());
    long entityVersion = ((Number) secret.get().get("entity_version")).longValue();
    h.createUpdate(
            "UPDATE secret_versions SET wrapped_data_key = :dataKey,"
                + " vault_key_version = :vaultKeyVersion, entity_version = :ev"
                + " WHERE vault = :vault AND secret = :name AND version = :version")
        .bind("dataKey", rewrapped.wrappedDataKey())
        .bind("vaultKeyVersion", to.version())
        .bind("ev", entityVersion)
        .bind("vault", vault.value())
        .bind("name", candidate.secret())
        .bind("version", candidate.version())
        .execute();
    PostgresLogWriter.append(
        h,
        new SecretVersionPut(
            vault,
            name,
            entityVersion,
            candidate.version(),
            row.get().createdAt(),
            rewrapped,
            new StageMap(
                ((Number) secret.get().get("current_version")).longValue(),
                ((Number) secret.get().get("previous_version")).longValue(),
                ((Number) secret.get().get("pending_version")).longValue())));
    return true;
  }

  private static void advance(
      Handle h,
      VaultName vault,
      int rewrapped,
      String afterSecret,
      long afterVersion,
      boolean done) {
    boolean passEnded = afterSecret.isEmpty() && afterVersion == 0;
    h.createUpdate(
            "UPDATE vault_key_rewraps SET rewrapped = rewrapped + :rewrapped,"
                + " after_secret = :afterSecret, after_version = :afterVersion,"
                + " passes = passes + :newPass, updated_at = now(),"
                + " finished_at = CASE WHEN :done THEN now() END WHERE vault = :vault")
        .bind("rewrapped", rewrapped)
        .bind("afterSecret", afterSecret)
        .bind("afterVersion", afterVersion)
        .bind("newPass", passEnded && !done ? 1 : 0)
        .bind("done", done)
        .bind("vault", vault.value())
        .execute();
  }

  @Override
  public KeyStatus status(VaultName vault) {
    return Storage.call(
        "reading the vault key status",
        () ->
            database
                .jdbi()
                .inTransaction(
                    h -> {
                      VaultKeyRing ring = readRing(h, vault);
                      Map<Integer, Long> sealed =
                          perVersion(
                              h,
                              vault,
                              "SELECT vault_key_version, count(*) FROM secret_versions"
                                  + " WHERE vault = :vault GROUP BY vault_key_version");
                      Map<Integer, Long> encryptions =
                          perVersion(
                              h,
                              vault,
                              "SELECT version, encryptions FROM vault_key_uses"
                                  + " WHERE vault = :vault");
                      List<KeyVersionUse> versions = new ArrayList<>();
                      for (int version : ring.versionNumbers()) {
                        versions.add(
                            new KeyVersionUse(
                                version,
                                version == ring.primaryVersion(),
                                sealed.getOrDefault(version, 0L),
                                encryptions.getOrDefault(version, 0L)));
                      }
                      Optional<RewrapProgress> rewrap =
                          h.createQuery(
                                  "SELECT target_version, rewrapped, passes, started_at,"
                                      + " updated_at, finished_at FROM vault_key_rewraps"
                                      + " WHERE vault = :vault")
                              .bind("vault", vault.value())
                              .map(
                                  (rs, ctx) -> {
                                    int target = rs.getInt(1);
                                    long remaining =
                                        sealed.entrySet().stream()
                                            .filter(e -> e.getKey() < target)
                                            .mapToLong(Map.Entry::getValue)
                                            .sum();
                                    OffsetDateTime finished = rs.getObject(6, OffsetDateTime.class);
                                    return new RewrapProgress(
                                        target,
                                        rs.getLong(2),
                                        remaining,
                                        rs.getInt(3),
                                        rs.getObject(4, OffsetDateTime.class).toInstant(),
                                        rs.getObject(5, OffsetDateTime.class).toInstant(),
                                        Optional.ofNullable(finished)
                                            .map(OffsetDateTime::toInstant));
                                  })
                              .findOne();
                      return new KeyStatus(vault, versions, rewrap);
                    }));
  }

  @Override
  public long recordEncryptions(VaultName vault, int version, long encryptions) {
    if (encryptions < 0) {
      throw new IllegalArgumentException("encryptions are counted up");
    }
    // One autocommit statement: every control plane records its uses every few seconds for every
    // vault it encrypted for, and a transaction id held across a round trip to this process would
    // hold back every tailer of the shard for that long. A missing vault inserts nothing, and is
    // VAULT_NOT_FOUND rather than a foreign key violation.
    return Storage.withHandle(
        database,
        "recording vault key use",
        h ->
            h.createQuery(
                    "INSERT INTO vault_key_uses (vault, version, encryptions)"
                        + " SELECT name, :version, :n FROM vaults WHERE name = :vault"
                        + " ON CONFLICT (vault, version) DO UPDATE SET encryptions ="
                        + " vault_key_uses.encryptions + EXCLUDED.encryptions"
                        + " RETURNING encryptions")
                .bind("vault", vault.value())
                .bind("version", version)
                .bind("n", encryptions)
                .mapTo(Long.class)
                .findOne()
                .orElseThrow(() -> vaultNotFound()));
  }

  @Override
  public KeyChange destroy(VaultName vault, int version) {
    return inTransaction(
        "destroying a vault key version",
        h -> {
          VaultKeyRing ring = lockVault(h, vault, "FOR UPDATE");
          if (ring.version(version).isEmpty()) {
            throw new CofferException(
                ErrorCode.VAULT_KEY_VERSION_NOT_FOUND,
                "The vault holds no key version " + version + ".");
          }
          if (version == ring.primaryVersion()) {
            throw new CofferException(
                ErrorCode.VAULT_KEY_IN_USE,
                "Version "
                    + version
                    + " is the vault's primary key; rotate the key before destroying it.");
          }
          long sealed =
              h.createQuery(
                      "SELECT count(*) FROM secret_versions WHERE vault = :vault"
                          + " AND vault_key_version = :version")
                  .bind("vault", vault.value())
                  .bind("version", version)
                  .mapTo(Long.class)
                  .one();
          if (sealed > 0) {
            throw new CofferException(
                ErrorCode.VAULT_KEY_IN_USE,
                sealed
                    + " secret version(s) of the vault are still sealed under key version "
                    + version
                    + "; wait for the rewrap to finish.");
          }
          VaultKeyRing smaller = ring.without(version);
          return new KeyChange(smaller.primaryVersion(), storeRing(h, vault, smaller));
        });
  }

  /** The vault's ring, its row locked as {@code lock} says. */
  private static VaultKeyRing lockVault(Handle h, VaultName vault, String lock) {
    return h.createQuery("SELECT wrapped_key FROM vaults WHERE name = :vault " + lock)
        .bind("vault", vault.value())
        .map((rs, ctx) -> VaultKeyRing.decode(rs.getBytes(1)))
        .findOne()
        .orElseThrow(() -> vaultNotFound());
  }

  private static VaultKeyRing readRing(Handle h, VaultName vault) {
    return h.createQuery("SELECT wrapped_key FROM vaults WHERE name = :vault")
        .bind("vault", vault.value())
        .map((rs, ctx) -> VaultKeyRing.decode(rs.getBytes(1)))
        .findOne()
        .orElseThrow(() -> vaultNotFound());
  }

  /** Stores a changed ring and publishes it with the vault's next entity version. */
  private static LogPosition storeRing(Handle h, VaultName vault, VaultKeyRing ring) {
    return storeRing(h, vault, ring, OptionalLong.empty()).orElseThrow(() -> vaultNotFound());
  }

  /**
   * Stores {@code ring} as the vault's and appends the vault's event with its next entity version:
   * the one way a ring changes, for rotations and destructions here and for rewraps by new root
   * keys ({@link PostgresVaultKeys}). With {@code ifEntityVersion}, only when the vault is still at
   * that entity version.
   *
   * @return the event's position, or empty when the vault is missing or has moved on
   */
  static Optional<LogPosition> storeRing(
      Handle h, VaultName vault, VaultKeyRing ring, OptionalLong ifEntityVersion) {
    return h.createQuery(
            "UPDATE vaults SET wrapped_key = :ring, entity_version = entity_version + 1"
                + " WHERE name = :vault"
                + (ifEntityVersion.isPresent() ? " AND entity_version = :expected" : "")
                + " RETURNING entity_version, created_at")
        .bind("ring", ring.encode())
        .bind("vault", vault.value())
        .bind("expected", ifEntityVersion.orElse(0))
        .map(
            (rs, ctx) ->
                new VaultCreated(
                    vault, rs.getLong(1), ring, rs.getObject(2, OffsetDateTime.class).toInstant()))
        .findOne()
        .map(event -> PostgresLogWriter.append(h, event));
  }

  /** A query's (key version, number) rows for one vault, as a map. */
  private static Map<Integer, Long> perVersion(Handle h, VaultName vault, String sql) {
    Map<Integer, Long> counts = new HashMap<>();
    h.createQuery(sql)
        .bind("vault", vault.value())
        .map((rs, ctx) -> Map.entry(rs.getInt(1), rs.getLong(2)))
        .forEach(e -> counts.put(e.getKey(), e.getValue()));
    return counts;
  }

  private static long sealedBelow(Handle h, VaultName vault, int version) {
    return h.createQuery(
            "SELECT count(*) FROM secret_versions WHERE vault = :vault"
                + " AND vault_key_version < :version")
        .bind("vault", vault.value())
        .bind("version", version)
        .mapTo(Long.class)
        .one();
  }

  private static CofferException vaultNotFound() {
    return new CofferException(
        ErrorCode.VAULT_NOT_FOUND, "No vault of that name exists on this shard.");
  }

  private <T> T inTransaction(
      String action, org.jdbi.v3.core.HandleCallback<T, RuntimeException> work) {
    return Storage.inLogTransaction(database, action, work);
  }
}
