package dev.coffer.controlplane.storage.postgres;

import dev.coffer.core.error.CofferException;
import dev.coffer.core.error.ErrorCode;
import dev.coffer.core.model.ShardId;
import dev.coffer.core.model.VaultName;
import dev.coffer.core.storage.VaultPlacementStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;

/** The base store in PostgreSQL. */
public final class PostgresVaultPlacementStore implements VaultPlacementStore {
  private final Jdbi jdbi;

  private PostgresVaultPlacementStore(DataSource dataSource) {
    this.jdbi = Jdbi.create(dataSource);
  }

  /** Migrates the base store's schema, then opens it. */
  public static PostgresVaultPlacementStore migrate(DataSource dataSource) {
    Flyway.configure()
        .dataSource(dataSource)
        .locations("classpath:db/base")
        .table("coffer_base_schema_history")
        .failOnMissingLocations(true)
        .load()
        .migrate();
    return new PostgresVaultPlacementStore(dataSource);
  }

  @Override
  public void registerShard(ShardId shard) {
    call(
        () ->
            jdbi.withHandle(
                h ->
                    h.createUpdate(
                            "INSERT INTO shards (id, registered_at) VALUES (:id, :now)"
                                + " ON CONFLICT (id) DO NOTHING")
                        .bind("id", shard.value())
                        .bind("now", OffsetDateTime.now(ZoneOffset.UTC))
                        .execute()));
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
    return call(
        () ->
            jdbi.withHandle(
                    h ->
                        h.createUpdate(
                                "INSERT INTO vault_placements (vault, shard, state, created_at)"
                                    + " VALUES (:vault, :shard, 'CREATING', :now)"
                                    + " ON CONFLICT (vault) DO NOTHING")
                            .bind("vault", vault.value())
                            .bind("shard", shard.value())
                            .bind("now", OffsetDateTime.now(ZoneOffset.UTC))
                            .execute())
                == 1);
  }

  @Override
  public void release(VaultName vault, ShardId shard) {
    call(
        () ->
            jdbi.withHandle(
                h ->
                    h.createUpdate(
                            "DELETE FROM vault_placements WHERE vault = :vault AND shard = :shard"
                                + " AND state = 'CREATING'")
                        .bind("vault", vault.value())
                        .bind("shard", shard.value())
                        .execute()));
  }

  @Override
  public void markActive(VaultName vault) {
    call(
        () ->
            jdbi.withHandle(
                h ->
                    h.createUpdate("UPDATE vault_placements SET state = 'ACTIVE' WHERE vault = :v")
                        .bind("v", vault.value())
                        .execute()));
  }

  @Override
  public Optional<Placement> find(VaultName vault) {
    return call(
        () ->
            jdbi.withHandle(
                h ->
                    h.createQuery(
                            "SELECT vault, shard, state, created_at FROM vault_placements"
                                + " WHERE vault = :v")
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
                            "SELECT vault, shard, state, created_at FROM vault_placements"
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
                            "SELECT vault, shard, state, created_at FROM vault_placements"
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

  private static <T> T call(Supplier<T> work) {
    try {
      return work.get();
    } catch (JdbiException e) {
      throw new CofferException(
          ErrorCode.STORE_UNAVAILABLE,
          "The base store is unavailable; the request did not happen. Retry later.",
          e);
    }
  }
}
