package dev.coffer.placement.postgres;

import dev.coffer.core.model.ShardId;
import dev.coffer.core.model.VaultName;
import dev.coffer.core.storage.VaultPlacementStore;
import dev.coffer.placement.log.PlacementEvent.ShardRegistered;
import dev.coffer.placement.log.PlacementEvent.VaultPlaced;
import dev.coffer.placement.log.PlacementEvent.VaultUnplaced;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;

/**
 * The base store in PostgreSQL. Every change to a shard or a placement appends its event to the
 * base store's log in the same transaction, which enters the log writers' gate first, so a tailer
 * of the log sees every change exactly once and in commit order ({@link BaseDatabase#logReader}).
 */
public final class PostgresVaultPlacementStore implements VaultPlacementStore {
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
    BaseTransactions.unlocked(
        jdbi,
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
                .map(registered -> BaseTransactions.append(h, "", registered)));
  }

  @Override
  public List<ShardId> shards() {
    return BaseTransactions.call(
        () ->
            jdbi.withHandle(
                h ->
                    h.createQuery("SELECT id FROM shards ORDER BY id")
                        .map((rs, ctx) -> ShardId.of(rs.getString(1)))
                        .list()));
  }

  @Override
  public Map<ShardId, Long> vaultCounts() {
    return BaseTransactions.call(
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
    return BaseTransactions.locked(
        jdbi,
        BaseTransactions.VAULT_LOCK,
        vault.value(),
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
                .map(placed -> BaseTransactions.append(h, vault.value(), placed))
                .isPresent());
  }

  @Override
  public void release(VaultName vault, ShardId shard) {
    BaseTransactions.locked(
        jdbi,
        BaseTransactions.VAULT_LOCK,
        vault.value(),
        h ->
            h.createQuery(
                    "DELETE FROM vault_placements WHERE vault = :vault AND shard = :shard"
                        + " AND state = 'CREATING' RETURNING nextval('placement_versions')")
                .bind("vault", vault.value())
                .bind("shard", shard.value())
                .mapTo(Long.class)
                .findOne()
                .map(
                    version ->
                        BaseTransactions.append(
                            h, vault.value(), new VaultUnplaced(vault, version))));
  }

  @Override
  public void markActive(VaultName vault) {
    BaseTransactions.locked(
        jdbi,
        BaseTransactions.VAULT_LOCK,
        vault.value(),
        h ->
            h.createQuery(
                    "UPDATE vault_placements SET state = 'ACTIVE',"
                        + " version = nextval('placement_versions')"
                        + " WHERE vault = :v AND state <> 'ACTIVE' RETURNING "
                        + PLACEMENT_COLUMNS)
                .bind("v", vault.value())
                .map((rs, ctx) -> placed(rs))
                .findOne()
                .map(placed -> BaseTransactions.append(h, vault.value(), placed)));
  }

  @Override
  public Optional<Placement> find(VaultName vault) {
    return placements("WHERE vault = :v", Map.of("v", vault.value())).stream().findFirst();
  }

  @Override
  public List<Placement> list(Optional<VaultName> after, int limit) {
    return placements(
        "WHERE state = 'ACTIVE' AND vault > :after ORDER BY vault LIMIT :limit",
        Map.of("after", after.map(VaultName::value).orElse(""), "limit", limit));
  }

  @Override
  public List<Placement> creating() {
    return placements("WHERE state = 'CREATING' ORDER BY vault", Map.of());
  }

  /** Placements matching {@code where}, a constant of this class with named parameters. */
  private List<Placement> placements(String where, Map<String, Object> parameters) {
    return BaseTransactions.call(
        () ->
            jdbi.withHandle(
                h ->
                    h.createQuery("SELECT " + PLACEMENT_COLUMNS + " FROM vault_placements " + where)
                        .bindMap(parameters)
                        .map((rs, ctx) -> placement(rs))
                        .list()));
  }

  /** For the health check. */
  public void ping() {
    BaseTransactions.call(
        () -> jdbi.withHandle(h -> h.createQuery("SELECT 1").mapTo(Integer.class).one()));
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
}
