package dev.coffer.placement.postgres.migration;

import dev.coffer.core.model.ShardId;
import dev.coffer.core.model.VaultName;
import dev.coffer.core.storage.VaultPlacementStore.Placement;
import dev.coffer.placement.log.PlacementEvent;
import dev.coffer.placement.log.PlacementEvent.ShardRegistered;
import dev.coffer.placement.log.PlacementEvent.VaultPlaced;
import dev.coffer.placement.log.PlacementEventCodec;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Writes the shards and placements that existed before the base store had a log into it, shards
 * first, so that a replica tailing the log from its start ends with what the tables hold. In Java
 * because the payload is {@link PlacementEventCodec}'s, which has one definition.
 */
public final class V4__seed_placement_log extends BaseJavaMigration {
  private static final String APPEND =
      "INSERT INTO replication_log (vault, entity, entity_version, payload) VALUES (?, ?, ?, ?)";

  @Override
  public void migrate(Context context) throws SQLException {
    Connection connection = context.getConnection();
    try (PreparedStatement shards =
            connection.prepareStatement(
                "SELECT id, registered_at, version FROM shards ORDER BY version");
        ResultSet rs = shards.executeQuery()) {
      while (rs.next()) {
        append(
            connection,
            "",
            new ShardRegistered(
                ShardId.of(rs.getString("id")),
                rs.getObject("registered_at", OffsetDateTime.class).toInstant(),
                rs.getLong("version")));
      }
    }
    try (PreparedStatement placements =
            connection.prepareStatement(
                "SELECT vault, shard, state, created_at, version FROM vault_placements"
                    + " ORDER BY version");
        ResultSet rs = placements.executeQuery()) {
      while (rs.next()) {
        Placement placement =
            new Placement(
                VaultName.of(rs.getString("vault")),
                ShardId.of(rs.getString("shard")),
                Placement.State.valueOf(rs.getString("state")),
                rs.getObject("created_at", OffsetDateTime.class).toInstant());
        append(
            connection,
            placement.vault().value(),
            new VaultPlaced(placement, rs.getLong("version")));
      }
    }
  }

  private static void append(Connection connection, String vault, PlacementEvent event)
      throws SQLException {
    try (PreparedStatement insert = connection.prepareStatement(APPEND)) {
      insert.setString(1, vault);
      insert.setString(2, event.entity());
      insert.setLong(3, event.version());
      insert.setBytes(4, PlacementEventCodec.encode(event));
      insert.executeUpdate();
    }
  }
}
