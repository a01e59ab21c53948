package dev.coffer.replication.postgres;

import dev.coffer.core.crypto.SealedSecret;
import dev.coffer.core.crypto.VaultKeyRing;
import dev.coffer.core.crypto.WrappedVaultKey;
import dev.coffer.core.error.CofferException;
import dev.coffer.core.error.ErrorCode;
import dev.coffer.core.event.SecretDeleted;
import dev.coffer.core.event.SecretStagesChanged;
import dev.coffer.core.event.SecretVersionPut;
import dev.coffer.core.event.VaultCreated;
import dev.coffer.core.model.LogPosition;
import dev.coffer.core.model.SecretMetadata;
import dev.coffer.core.model.SecretName;
import dev.coffer.core.model.SecretStage;
import dev.coffer.core.model.SecretVersionRecord;
import dev.coffer.core.model.StageMap;
import dev.coffer.core.model.VaultName;
import dev.coffer.core.model.VaultRecord;
import dev.coffer.core.model.VersionState;
import dev.coffer.core.read.SecretReads;
import dev.coffer.core.storage.SecretLookup;
import dev.coffer.core.storage.SecretReadAccessor;
import dev.coffer.core.storage.ShardWriteStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;

/**
 * A shard's remote store in PostgreSQL: the source of truth that the control plane writes and the
 * data plane's remote accessor reads. Each mutation and its replication event commit together.
 */
public final class PostgresShardStore implements ShardWriteStore, SecretReadAccessor {
  private static final String VERSION_COLUMNS =
      "v.vault, v.secret, v.version, v.created_at, v.wrapped_data_key, v.ciphertext";

  private final ShardDatabase database;

  public PostgresShardStore(ShardDatabase database) {
    this.database = database;
  }

  @Override
  public WriteOutcome createVault(VaultName vault, WrappedVaultKey key) {
    return inTransaction(
        "creating the vault",
        h -> {
          Instant now = now();
          int inserted =
              h.createUpdate(
                      "INSERT INTO vaults (name, wrapped_key, entity_version, created_at)"
                          + " VALUES (:name, :key, 1, :now) ON CONFLICT (name) DO NOTHING")
                  .bind("name", vault.value())
                  .bind("key", VaultKeyRing.of(key).encode())
                  .bind("now", utc(now))
                  .execute();
          if (inserted == 0) {
            throw new CofferException(
                ErrorCode.VAULT_ALREADY_EXISTS, "A vault of that name already exists.");
          }
          LogPosition position = PostgresLogWriter.append(h, new VaultCreated(vault, 1, key, now));
          return new WriteOutcome(0, position);
        });
  }

  /**
   * The upsert of a put, one per stage. New stage columns are computed from the old ones in the
   * same statement (SET expressions see the row before the update); a deleted secret has all stages
   * at 0, so a put after a delete starts a fresh map.
   */
  private static final String PUT_CURRENT_STAGES =
      " current_version = secrets.last_version + 1, previous_version = secrets.current_version,";

  private static final String PUT_PENDING_STAGES = " pending_version = secrets.last_version + 1,";

  @Override
  public WriteOutcome putSecret(
      VaultName vault, SecretName secret, SecretStage stage, VersionSealer sealer) {
    if (stage == SecretStage.PREVIOUS) {
      throw new IllegalArgumentException("a put makes its version CURRENT or PENDING");
    }
    for (int attempt = 0; attempt < OPTIMISTIC_ATTEMPTS; attempt++) {
      Optional<WriteOutcome> written = putIfUnchanged(vault, secret, stage, sealer);
      if (written.isPresent()) {
        return written.get();
      }
    }
    return putHoldingTheRowLock(vault, secret, stage, sealer);
  }

  /**
   * Puts that lost to another writer of the same secret this many times in a row take the row lock
   * before sealing instead: a secret written by many writers at once still makes progress.
   */
  static final int OPTIMISTIC_ATTEMPTS = 3;

  /**
   * What a put reads before sealing: the vault's key and the secret's counters and stages (zeros
   * for a secret never written), without a lock and without a transaction id.
   */
  private static final String PUT_READ =
      "SELECT v.wrapped_key, s.entity_version, s.last_version, s.current_version,"
          + " s.previous_version, s.pending_version, v.entity_version"
          + " FROM vaults v LEFT JOIN secrets s ON s.vault = v.name AND s.name = ?"
          + " WHERE v.name = ?";

  /**
   * The gate of a put's single statement: the vault row locked against deletion (KEY SHARE) if its
   * key ring is still the one the value was sealed under (every ring change bumps the vault's
   * entity version), and the secret's row created or updated to the counters and stages computed
   * from {@link #PUT_READ} only if it still holds exactly what that read returned (a new secret: no
   * row). Under READ COMMITTED a concurrent writer's update makes a condition fail after its
   * commit, so the gate yields nothing and the put starts again from a fresh read.
   *
   * <p>The ring check is what key rotation needs (docs/key-rotation.md): from the lock to the
   * commit, the sealing key is in the ring and cannot be destroyed, as when the put took the lock
   * before reading the ring.
   */
  private static final String PUT_GATE =
      "v AS (SELECT name FROM vaults WHERE name = ? AND entity_version = ? AND "
          + PostgresLogWriter.ENTER_GATE
          + " FOR KEY SHARE),"
          + " gate AS (INSERT INTO secrets AS t (vault, name, entity_version, last_version,"
          + " current_version, previous_version, pending_version, created_at, updated_at)"
          + " SELECT ?, ?, ?, ?, ?, ?, ?, ?, ? FROM v"
          + " ON CONFLICT (vault, name) DO UPDATE SET"
          + " entity_version = EXCLUDED.entity_version, last_version = EXCLUDED.last_version,"
          + " current_version = EXCLUDED.current_version,"
          + " previous_version = EXCLUDED.previous_version,"
          + " pending_version = EXCLUDED.pending_version,"
          + " deleted_at = NULL, updated_at = EXCLUDED.updated_at"
          + " WHERE t.entity_version = ? AND t.last_version = ? AND t.current_version = ?"
          + " AND t.previous_version = ? AND t.pending_version = ?"
          + " RETURNING t.name)";

  /**
   * A put without a transaction held across sealing: read the counters, seal the next version, then
   * write the secret's row, the version row and the log event in one autocommit statement that only
   * writes if the row is unchanged. The write's transaction id is then held only while PostgreSQL
   * runs that statement, never across a round trip to this process or the sealer's work; every
   * tailing host reads only below the oldest transaction id in flight, so a put held open by a
   * descheduled control-plane thread used to hold back every later write's event on every host. Two
   * round trips instead of three, too.
   *
   * @return empty when another writer changed the secret between the read and the write
   */
  private Optional<WriteOutcome> putIfUnchanged(
      VaultName vault, SecretName secret, SecretStage stage, VersionSealer sealer) {
    return Storage.jdbc(
        database,
        "storing the secret",
        connection -> {
          // The pool's connection, in autocommit mode, so the write commits as its statement ends.
          // (On a connection already in a transaction both statements join it, as a Jdbi
          // transaction does: the interleaving properties drive puts that way.)
          SecretCounters before = readCounters(connection, vault, secret);
          long version = before.lastVersion() + 1;
          long entityVersion = before.entityVersion() + 1;
          StageMap stages = before.stages().afterPut(version, stage);
          Instant now = now();
          SealedSecret sealed = sealer.seal(before.vaultKey(), version);
          List<Object> gate =
              List.of(
                  vault.value(),
                  before.vaultEntityVersion(),
                  vault.value(),
                  secret.value(),
                  entityVersion,
                  version,
                  stages.current(),
                  stages.previous(),
                  stages.pending(),
                  utc(now),
                  utc(now),
                  before.entityVersion(),
                  before.lastVersion(),
                  before.stages().current(),
                  before.stages().previous(),
                  before.stages().pending());
          return PostgresLogWriter.appendIf(
                  connection,
                  PUT_GATE,
                  gate,
                  new SecretVersionPut(vault, secret, entityVersion, version, now, sealed, stages),
                  versionRow(vault, secret, version, entityVersion, now, before.vaultKey(), sealed))
              .map(position -> new WriteOutcome(version, position, stages));
        });
  }

  private static SecretCounters readCounters(
      Connection connection, VaultName vault, SecretName secret) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(PUT_READ)) {
      statement.setString(1, secret.value());
      statement.setString(2, vault.value());
      try (ResultSet rs = statement.executeQuery()) {
        if (!rs.next()) {
          throw vaultNotFound();
        }
        // Absent secret: SQL NULLs, which getLong reads as 0 — the counters before version 1.
        return SecretCounters.of(rs);
      }
    }
  }

  /**
   * The version row a put inserts with its event; the version of {@code vaultKey} handed to the
   * sealer, which seals under exactly that key.
   */
  private static PostgresLogWriter.PositionedRow versionRow(
      VaultName vault,
      SecretName secret,
      long version,
      long entityVersion,
      Instant now,
      WrappedVaultKey vaultKey,
      SealedSecret sealed) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("vault", vault.value());
    row.put("secret", secret.value());
    row.put("version", version);
    row.put("entity_version", entityVersion);
    row.put("created_at", utc(now));
    row.put("wrapped_data_key", sealed.wrappedDataKey());
    row.put("vault_key_version", vaultKey.version());
    row.put("ciphertext", sealed.ciphertext());
    return new PostgresLogWriter.PositionedRow("secret_versions", row);
  }

  /**
   * The put of a contended secret: its row stays locked from the upsert to the commit, sealing
   * included, so no other writer can take the version number meanwhile.
   */
  private WriteOutcome putHoldingTheRowLock(
      VaultName vault, SecretName secret, SecretStage stage, VersionSealer sealer) {
    boolean current = stage == SecretStage.CURRENT;
    return inTransaction(
        "storing the secret",
        h -> {
          Instant now = now();
          // One round trip: lock the vault row against deletion (KEY SHARE), create or bump the
          // secret's counters and stages — the upsert's row lock serialises writers of this
          // secret only; other secrets proceed in parallel — and return them with the vault key.
          SecretCounters counters = upsertSecret(h, vault, secret, current, now);
          long version = counters.lastVersion();
          SealedSecret sealed = sealer.seal(counters.vaultKey(), version);
          // The version row records its event's log position (activation compares it with what
          // every host has applied), so both go in one statement: the row reads the position
          // from the log insert instead of waiting for it in another round trip.
          LogPosition position =
              PostgresLogWriter.append(
                  h,
                  new SecretVersionPut(
                      vault,
                      secret,
                      counters.entityVersion(),
                      version,
                      now,
                      sealed,
                      counters.stages()),
                  versionRow(
                      vault,
                      secret,
                      version,
                      counters.entityVersion(),
                      now,
                      counters.vaultKey(),
                      sealed));
          return new WriteOutcome(version, position, counters.stages());
        });
  }

  /**
   * The put's first statement, in plain JDBC on the transaction's connection like the log append
   * after it: every write pays for it, and Jdbi's handle and named-argument machinery was a
   * measurable share of a put's CPU.
   */
  private static SecretCounters upsertSecret(
      Handle h, VaultName vault, SecretName secret, boolean current, Instant now) {
    String sql =
        "WITH v AS (SELECT wrapped_key, entity_version FROM vaults WHERE name = ? FOR KEY SHARE),"
            + " s AS (INSERT INTO secrets (vault, name, entity_version, last_version,"
            + " current_version, pending_version, created_at, updated_at)"
            + " SELECT ?, ?, 1, 1, ?, ?, ?, ? FROM v"
            + " ON CONFLICT (vault, name) DO UPDATE SET"
            + " entity_version = secrets.entity_version + 1,"
            + " last_version = secrets.last_version + 1,"
            + (current ? PUT_CURRENT_STAGES : PUT_PENDING_STAGES)
            + " deleted_at = NULL, updated_at = EXCLUDED.updated_at"
            + " RETURNING entity_version, last_version, current_version,"
            + " previous_version, pending_version)"
            + " SELECT v.wrapped_key, s.entity_version, s.last_version, s.current_version,"
            + " s.previous_version, s.pending_version, v.entity_version FROM v, s";
    return Storage.jdbc(
        h,
        "storing the secret",
        connection -> {
          try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, vault.value());
            statement.setString(2, vault.value());
            statement.setString(3, secret.value());
            statement.setLong(4, current ? 1L : 0L);
            statement.setLong(5, current ? 0L : 1L);
            statement.setObject(6, utc(now));
            statement.setObject(7, utc(now));
            try (ResultSet rs = statement.executeQuery()) {
              if (!rs.next()) {
                throw vaultNotFound();
              }
              return SecretCounters.of(rs);
            }
          }
        });
  }

  @Override
  public WriteOutcome promoteToCurrent(VaultName vault, SecretName secret, long version) {
    return inTransaction(
        "promoting the version",
        h -> {
          requireVault(h, vault);
          // The row lock orders this after every put of the secret, so the version check and the
          // new map see the versions that exist when the promotion commits.
          StagedSecret found =
              h.createQuery(
                      "SELECT entity_version, current_version, previous_version, pending_version,"
                          + " EXISTS (SELECT 1 FROM secret_versions WHERE vault = :vault"
                          + " AND secret = :name AND version = :version)"
                          + " FROM secrets WHERE vault = :vault AND name = :name"
                          + " AND deleted_at IS NULL FOR UPDATE")
                  .bind("vault", vault.value())
                  .bind("name", secret.value())
                  .bind("version", version)
                  .map(
                      (rs, ctx) ->
                          new StagedSecret(
                              rs.getLong(1),
                              new StageMap(rs.getLong(2), rs.getLong(3), rs.getLong(4)),
                              rs.getBoolean(5)))
                  .findOne()
                  .orElseThrow(() -> secretNotFound());
          if (!found.versionExists()) {
            throw SecretReads.versionNotFound(vault, secret, version);
          }
          StageMap stages = found.stages().afterPromote(version);
          long entityVersion = found.entityVersion() + 1;
          Instant now = now();
          // updated_at is left alone: listings show it as when the latest version was written, and
          // a promotion writes no version (replicas answer the same from the version itself).
          h.createUpdate(
                  "UPDATE secrets SET entity_version = :ev, current_version = :current,"
                      + " previous_version = :previous, pending_version = :pending"
                      + " WHERE vault = :vault AND name = :name")
              .bind("vault", vault.value())
              .bind("name", secret.value())
              .bind("ev", entityVersion)
              .bind("current", stages.current())
              .bind("previous", stages.previous())
              .bind("pending", stages.pending())
              .execute();
          LogPosition position =
              PostgresLogWriter.append(
                  h, new SecretStagesChanged(vault, secret, entityVersion, stages, now));
          return new WriteOutcome(version, position, stages);
        });
  }

  private record StagedSecret(long entityVersion, StageMap stages, boolean versionExists) {}

  /**
   * A secret's counters and stages (before a put, read to seal for the next version; or after the
   * locked put's upsert bumped them), its vault's primary key, and the vault's entity version,
   * which every change of its key ring bumps.
   */
  private record SecretCounters(
      long entityVersion,
      long lastVersion,
      WrappedVaultKey vaultKey,
      StageMap stages,
      long vaultEntityVersion) {
    /**
     * From a row of wrapped_key, entity_version, last_version, the three stage columns and the
     * vault's entity_version, in that order ({@link #PUT_READ} and the locked put's upsert).
     */
    static SecretCounters of(ResultSet rs) throws SQLException {
      return new SecretCounters(
          rs.getLong(2),
          rs.getLong(3),
          VaultKeyRing.decode(rs.getBytes(1)).primary(),
          new StageMap(rs.getLong(4), rs.getLong(5), rs.getLong(6)),
          rs.getLong(7));
    }
  }

  @Override
  public WriteOutcome deleteSecret(VaultName vault, SecretName secret) {
    return inTransaction(
        "deleting the secret",
        h -> {
          requireVault(h, vault);
          Optional<Long> current =
              h.createQuery(
                      "SELECT entity_version FROM secrets WHERE vault = :vault AND name = :name"
                          + " AND deleted_at IS NULL FOR UPDATE")
                  .bind("vault", vault.value())
                  .bind("name", secret.value())
                  .mapTo(Long.class)
                  .findOne();
          long entityVersion = current.orElseThrow(() -> secretNotFound()) + 1;
          Instant now = now();
          h.createUpdate("DELETE FROM secret_versions WHERE vault = :vault AND secret = :name")
              .bind("vault", vault.value())
              .bind("name", secret.value())
              .execute();
          h.createUpdate(
                  "UPDATE secrets SET entity_version = :ev, tombstone_entity_version = :ev,"
                      + " current_version = 0, previous_version = 0, pending_version = 0,"
                      + " deleted_at = :now, updated_at = :now WHERE vault = :vault AND name = :name")
              .bind("vault", vault.value())
              .bind("name", secret.value())
              .bind("ev", entityVersion)
              .bind("now", utc(now))
              .execute();
          LogPosition position =
              PostgresLogWriter.append(h, new SecretDeleted(vault, secret, entityVersion, now));
          return new WriteOutcome(0, position);
        });
  }

  @Override
  public Optional<VersionState> versionState(VaultName vault, SecretName secret, long version) {
    return read(
        "reading the version state",
        h ->
            h.createQuery(
                    // ACTIVE once the cell's activation watermark has reached the put event.
                    "SELECT CASE WHEN (v.log_tx, v.log_seq) <= (a.activated_tx, a.activated_seq)"
                        + " THEN 'ACTIVE' ELSE 'PENDING' END"
                        + " FROM secret_versions v, cell_activation a"
                        + " WHERE v.vault = :vault AND v.secret = :name AND v.version = :version")
                .bind("vault", vault.value())
                .bind("name", secret.value())
                .bind("version", version)
                .mapTo(String.class)
                .findOne()
                .map(VersionState::valueOf));
  }

  @Override
  public Optional<VaultRecord> vault(VaultName vault) {
    return read(
        "reading the vault",
        h ->
            h.createQuery("SELECT name, wrapped_key, created_at FROM vaults WHERE name = :vault")
                .bind("vault", vault.value())
                .map(
                    (rs, ctx) ->
                        new VaultRecord(
                            VaultName.of(rs.getString("name")),
                            VaultKeyRing.decode(rs.getBytes("wrapped_key")),
                            instant(rs, "created_at")))
                .findOne());
  }

  @Override
  public Optional<SecretVersionRecord> latest(VaultName vault, SecretName secret) {
    return read(
        "reading the secret",
        h ->
            h.createQuery(
                    "SELECT "
                        + VERSION_COLUMNS
                        + " FROM secrets s JOIN secret_versions v ON v.vault = s.vault"
                        + " AND v.secret = s.name AND v.version = s.last_version"
                        + " WHERE s.vault = :vault AND s.name = :name AND s.deleted_at IS NULL")
                .bind("vault", vault.value())
                .bind("name", secret.value())
                .map((rs, ctx) -> versionRecord(rs))
                .findOne());
  }

  @Override
  public Optional<StageMap> stages(VaultName vault, SecretName secret) {
    return read(
        "reading the secret's stages",
        h ->
            h.createQuery(
                    "SELECT current_version, previous_version, pending_version FROM secrets"
                        + " WHERE vault = :vault AND name = :name AND deleted_at IS NULL")
                .bind("vault", vault.value())
                .bind("name", secret.value())
                .map((rs, ctx) -> new StageMap(rs.getLong(1), rs.getLong(2), rs.getLong(3)))
                .findOne());
  }

  @Override
  public Optional<SecretVersionRecord> version(VaultName vault, SecretName secret, long version) {
    return read(
        "reading the secret",
        h ->
            h.createQuery(
                    "SELECT "
                        + VERSION_COLUMNS
                        + " FROM secret_versions v"
                        + " WHERE v.vault = :vault AND v.secret = :name AND v.version = :version")
                .bind("vault", vault.value())
                .bind("name", secret.value())
                .bind("version", version)
                .map((rs, ctx) -> versionRecord(rs))
                .findOne());
  }

  /**
   * One statement, so one connection and one snapshot: the vault's key ring, the stage map and the
   * version agree with each other as of one moment.
   */
  @Override
  public Optional<SecretLookup> lookup(VaultName vault, SecretName secret, SecretStage stage) {
    String column =
        switch (stage) {
          case CURRENT -> "s.current_version";
          case PREVIOUS -> "s.previous_version";
          case PENDING -> "s.pending_version";
        };
    return lookup(vault, secret, column, OptionalLong.empty());
  }

  @Override
  public Optional<SecretLookup> lookup(VaultName vault, SecretName secret, long version) {
    return lookup(vault, secret, ":version", OptionalLong.of(version));
  }

  private Optional<SecretLookup> lookup(
      VaultName vault, SecretName secret, String versionExpression, OptionalLong version) {
    return read(
        "reading the secret",
        h -> {
          Query query =
              h.createQuery(
                      "SELECT k.wrapped_key, k.created_at AS vault_created_at, s.current_version,"
                          + " s.previous_version, s.pending_version, "
                          + VERSION_COLUMNS
                          + " FROM vaults k"
                          + " LEFT JOIN secrets s ON s.vault = :vault AND s.name = :name"
                          + " AND s.deleted_at IS NULL"
                          + " LEFT JOIN secret_versions v ON v.vault = s.vault"
                          + " AND v.secret = s.name AND v.version = "
                          + versionExpression
                          + " WHERE k.name = :vault")
                  .bind("vault", vault.value())
                  .bind("name", secret.value());
          version.ifPresent(n -> query.bind("version", n));
          return query.map((rs, ctx) -> lookupRow(vault, rs)).findOne();
        });
  }

  private static SecretLookup lookupRow(VaultName vault, ResultSet rs) throws SQLException {
    VaultRecord record =
        new VaultRecord(
            vault,
            VaultKeyRing.decode(rs.getBytes("wrapped_key")),
            instant(rs, "vault_created_at"));
    long current = rs.getLong("current_version");
    if (rs.wasNull()) {
      return new SecretLookup(record, Optional.empty(), Optional.empty());
    }
    StageMap stages =
        new StageMap(current, rs.getLong("previous_version"), rs.getLong("pending_version"));
    rs.getLong("version");
    Optional<SecretVersionRecord> found =
        rs.wasNull() ? Optional.empty() : Optional.of(versionRecord(rs));
    return new SecretLookup(record, Optional.of(stages), found);
  }

  @Override
  public List<SecretMetadata> list(VaultName vault, Optional<SecretName> after, int limit) {
    if (limit < 1 || limit > MAX_LIST_LIMIT) {
      throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIST_LIMIT);
    }
    return read(
        "listing the vault",
        h ->
            h.createQuery(
                    "SELECT name, last_version, updated_at FROM secrets"
                        + " WHERE vault = :vault AND deleted_at IS NULL AND name > :after"
                        + " ORDER BY name LIMIT :limit")
                .bind("vault", vault.value())
                .bind("after", after.map(SecretName::value).orElse(""))
                .bind("limit", limit)
                .map(
                    (rs, ctx) ->
                        new SecretMetadata(
                            SecretName.of(rs.getString("name")),
                            rs.getLong("last_version"),
                            instant(rs, "updated_at")))
                .list());
  }

  /**
   * The shard store holds every committed write, so its position is the horizon: everything below
   * the oldest transaction still in flight.
   */
  @Override
  public LogPosition position() {
    return read(
        "reading the log horizon",
        h ->
            new LogPosition(
                Long.parseLong(
                    h.createQuery("SELECT pg_snapshot_xmin(pg_current_snapshot())::text")
                        .mapTo(String.class)
                        .one()),
                0));
  }

  private static void requireVault(Handle h, VaultName vault) {
    boolean exists =
        h.createQuery("SELECT 1 FROM vaults WHERE name = :vault FOR KEY SHARE")
            .bind("vault", vault.value())
            .mapTo(Integer.class)
            .findOne()
            .isPresent();
    if (!exists) {
      throw vaultNotFound();
    }
  }

  private static CofferException vaultNotFound() {
    return new CofferException(ErrorCode.VAULT_NOT_FOUND, "No vault of that name exists.");
  }

  private static CofferException secretNotFound() {
    return new CofferException(
        ErrorCode.SECRET_NOT_FOUND, "No secret of that name exists in the vault.");
  }

  private static SecretVersionRecord versionRecord(ResultSet rs) throws SQLException {
    return new SecretVersionRecord(
        VaultName.of(rs.getString("vault")),
        SecretName.of(rs.getString("secret")),
        rs.getLong("version"),
        instant(rs, "created_at"),
        new SealedSecret(rs.getBytes("wrapped_data_key"), rs.getBytes("ciphertext")));
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    return rs.getObject(column, OffsetDateTime.class).toInstant();
  }

  private static OffsetDateTime utc(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }

  /** PostgreSQL keeps microseconds; truncating first keeps the event and the row identical. */
  private static Instant now() {
    return Instant.now().truncatedTo(ChronoUnit.MICROS);
  }

  /**
   * Runs in a transaction at PostgreSQL's default isolation, READ COMMITTED, which the writes here
   * are built for (row locks, not snapshots, order writers of one secret). It is not set per
   * transaction because the driver spends three extra round trips on every explicit level.
   */
  private <T> T inTransaction(
      String action, org.jdbi.v3.core.HandleCallback<T, RuntimeException> work) {
    return Storage.inLogTransaction(database, action, work);
  }

  private <T> T read(String action, org.jdbi.v3.core.HandleCallback<T, RuntimeException> work) {
    return Storage.call(action, () -> database.jdbi().withHandle(work));
  }
}
