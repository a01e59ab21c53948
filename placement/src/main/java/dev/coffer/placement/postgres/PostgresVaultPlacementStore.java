package dev.coffer.placement.postgres;

import dev.coffer.core.error.CofferException;
import dev.coffer.core.error.ErrorCode;
import dev.coffer.core.model.ShardId;
import dev.coffer.core.model.VaultName;
import dev.coffer.core.storage.VaultPlacementStore;
import dev.coffer.placement.log.PlacementEvent;
import dev.coffer.placement.log.PlacementEvent.ShardRegistered;
import dev.coffer.placement.log.PlacementEvent.VaultPlaced;
import dev.coffer.placement.log.PlacementEvent.VaultUnplaced;
import dev.coffer.placement.log.PlacementEventCodec;
import dev.coffer.replication.postgres.PostgresLogWriter;
import dev.coffer.replication.postgres.PostgresLogWriter.LogRecord;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;

/**
 * The base store in PostgreSQL. Every change to a shard or a placement appends its event to the
 * base store's log in the same transaction, which enters the log writers' gate first, so a tailer
 * of the log sees every change exactly once and in commit order ({@link BaseDatabase#logReader}).
 */
public final class PostgresVaultPlacementStore implements VaultPlacementStore {
  /**
   * The first key of the two-key advisory locks that serialise changes to one vault ("Cv" in
   * ASCII); two-key locks cannot collide with the log writers' gate, a one-key lock.
   */
  private static final int VAULT_LOCK_CLASS = 0x4376;

  private static final String PLACEMENT_COLUMNS = "vault, shard, state, created_at, version";

  private final Jdbi jdbi;

  public PostgresVaultPlacementStore(BaseDatabase database) {
    this.jdbi = database.database().jdbi();
  }

  /** Migrates the base store's schema, then opens it. */
  public static PostgresVaultPlacementStore migrate(DataSource dataSource) {
    return new PostgresVaultPlacementStore(BaseDatabase.migrate(dataSource));
  }

  @Override
  public void registerShard(ShardId shard) {
    inLogTransaction(
        h ->
            h.createQuery(
                    "INSERT INTO shards (id, registered_at, version)"
                        + " VALUES (:id, clock_timestamp(), nextval('placement_versions'))"
                        + " ON CONFLICT (id) DO NOTHING RETURNING registered_at, version")
                .bind("id", shard.value())
                .map(
                    (rs, ctx) ->
                        new ShardRegistered(
                            shard,
                            rs.getObject("registered_at", OffsetDateTime.class).toInstant(),
                            rs.getLong("version")))
                .findOne()
                .map(registered -> append(h, "", registered)));
  }

  @Override
  public List<ShardId> shards() {
    return call(
        () ->
            jdbi.withHandle(
                h ->
                    h.createQuery("SELECT id FROM shards ORDER BY id")
                        .map((rs, ctx) -> ShardId.of(rs.getString(1)))
                        .list()));
  }

  @Override
  public Map<ShardId, Long> vaultCounts() {
    return call(
        () ->
            jdbi.withHandle(
                h -> {
                  Map<ShardId, Long> counts = new TreeMap<>();
                  h.createQuery(
                          "SELECT s.id, count(p.vault) FROM shards s"
                              + " LEFT JOIN vault_placements p ON p.shard = s.id GROUP BY s.id")
                      .map((rs, ctx) -> Map.entry(ShardId.of(rs.getString(1)), rs.getLong(2)))
                      .forEach(e -> counts.put(e.getKey(), e.getValue()));
                  return counts;
                }));
  }

  @Override
  public boolean reserve(VaultName vault, ShardId shard) {
    return inVaultTransaction(
        vault,
        h ->
            h.createQuery(
                    "INSERT INTO vault_placements (vault, shard, state, created_at, version)"
                        + " VALUES (:vault, :shard, 'CREATING', clock_timestamp(),"
                        + " nextval('placement_versions'))"
                        + " ON CONFLICT (vault) DO NOTHING RETURNING "
                        + PLACEMENT_COLUMNS)
                .bind("vault", vault.value())
                .bind("shard", shard.value())
                .map((rs, ctx) -> placed(rs))
                .findOne()
                .map(placed -> append(h, vault.value(), placed))
                .isPresent());
  }

  @Override
  public void release(VaultName vault, ShardId shard) {
    inVaultTransaction(
        vault,
        h ->
            h.createQuery(
                    "DELETE FROM vault_placements WHERE vault = :vault AND shard = :shard"
                        + " AND state = 'CREATING' RETURNING nextval('placement_versions')")
                .bind("vault", vault.value())
                .bind("shard", shard.value())
                .mapTo(Long.class)
                .findOne()
                .map(version -> append(h, vault.value(), new VaultUnplaced(vault, version))));
  }

  @Override
  public void markActive(VaultName vault) {
    inVaultTransaction(
        vault,
        h ->
            h.createQuery(
                    "UPDATE vault_placements SET state = 'ACTIVE',"
                        + " version = nextval('placement_versions')"
                        + " WHERE vault = :v AND state <> 'ACTIVE' RETURNING "
                        + PLACEMENT_COLUMNS)
                .bind("v", vault.value())
                .map((rs, ctx) -> placed(rs))
                .findOne()
                .map(placed -> append(h, vault.value(), placed)));
  }

  @Override
  public Optional<Placement> find(VaultName vault) {
    return call(
        () ->
            jdbi.withHandle(
                h ->
                    h.createQuery(
                            "SELECT "
                                + PLACEMENT_COLUMNS
                                + " FROM vault_placements WHERE vault = :v")
                        .bind("v", vault.value())
                        .map((rs, ctx) -> placement(rs))
                        .findOne()));
  }

  @Override
  public List<Placement> list(Optional<VaultName> after, int limit) {
    return call(
        () ->
            jdbi.withHandle(
                h ->
                    h.createQuery(
                            "SELECT "
                                + PLACEMENT_COLUMNS
                                + " FROM vault_placements"
                                + " WHERE state = 'ACTIVE' AND vault > :after"
                                + " ORDER BY vault LIMIT :limit")
                        .bind("after", after.map(VaultName::value).orElse(""))
                        .bind("limit", limit)
                        .map((rs, ctx) -> placement(rs))
                        .list()));
  }

  @Override
  public List<Placement> creating() {
    return call(
        () ->
            jdbi.withHandle(
                h ->
                    h.createQuery(
                            "SELECT "
                                + PLACEMENT_COLUMNS
                                + " FROM vault_placements"
                                + " WHERE state = 'CREATING' ORDER BY vault")
                        .map((rs, ctx) -> placement(rs))
                        .list()));
  }

  /** For the health check. */
  public void ping() {
    call(() -> jdbi.withHandle(h -> h.createQuery("SELECT 1").mapTo(Integer.class).one()));
  }

  private static Placement placement(ResultSet rs) throws SQLException {
    return new Placement(
        VaultName.of(rs.getString("vault")),
        ShardId.of(rs.getString("shard")),
        Placement.State.valueOf(rs.getString("state")),
        rs.getObject("created_at", OffsetDateTime.class).toInstant());
  }

  private static VaultPlaced placed(ResultSet rs) throws SQLException {
    return new VaultPlaced(placement(rs), rs.getLong("version"));
  }

  private static PlacementEvent append(Handle transaction, String vault, PlacementEvent event) {
    PostgresLogWriter.append(
        transaction,
        new LogRecord(vault, event.entity(), event.version(), PlacementEventCodec.encode(event)));
    return event;
  }

  /**
   * A change and its log entry in one transaction, which enters the log writers' gate before
   * anything gives it a transaction id.
   */
  private <T> T inLogTransaction(HandleCallback<T, RuntimeException> work) {
    return call(
        () ->
            jdbi.inTransaction(
                h -> {
                  PostgresLogWriter.enterGate(h);
                  return work.withHandle(h);
                }));
  }

  /**
   * A change to one vault's placement and its log entry, serialised with every other change to that
   * vault by a lock taken before either has a version or a transaction id. Row locks alone would
   * not do: a reservation waiting on a release of the same name has already drawn its version, so
   * the two could commit with versions (and log positions) in the opposite order, and a replica
   * would keep the release's tombstone over the newer placement.
   */
  private <T> T inVaultTransaction(VaultName vault, HandleCallback<T, RuntimeException> work) {
    return inLogTransaction(
        h -> {
          h.createQuery(
                  "SELECT pg_advisory_xact_lock(" + VAULT_LOCK_CLASS + ", hashtext(:v)) IS NULL")
              .bind("v", vault.value())
              .mapTo(Boolean.class)
              .one();
          return work.withHandle(h);
        });
  }

  private static <T> T call(Supplier<T> work) {
    try {
      return work.get();
    } catch (JdbiException e) {
      throw unavailable(e);
    } catch (CofferException e) {
      // The log append's own failure names the store generically; say which one.
      throw e.code() == ErrorCode.STORE_UNAVAILABLE ? unavailable(e) : e;
    }
  }

  private static CofferException unavailable(Exception cause) {
    return new CofferException(
        ErrorCode.STORE_UNAVAILABLE,
        "The base store is unavailable; the request did not happen. Retry later.",
        cause);
  }
}
