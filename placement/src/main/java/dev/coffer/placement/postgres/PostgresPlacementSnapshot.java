package dev.coffer.placement.postgres;

import dev.coffer.core.model.ControlPlaneId;
import dev.coffer.core.model.Endpoint;
import dev.coffer.core.model.HostId;
import dev.coffer.core.model.LogPosition;
import dev.coffer.core.model.ShardId;
import dev.coffer.core.model.VaultName;
import dev.coffer.core.storage.CellMembership.HostState;
import dev.coffer.core.storage.VaultPlacementStore.Placement;
import dev.coffer.placement.CellHost;
import dev.coffer.placement.ControlPlane;
import dev.coffer.placement.log.PlacementEvent;
import dev.coffer.placement.log.PlacementEvent.CellHostSet;
import dev.coffer.placement.log.PlacementEvent.ControlPlaneSet;
import dev.coffer.placement.log.PlacementEvent.ShardRegistered;
import dev.coffer.placement.log.PlacementEvent.VaultPlaced;
import dev.coffer.placement.log.PlacementSnapshot;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;

/**
 * Reads the base store's routing state in one REPEATABLE READ transaction, as a shard's snapshot is
 * read for a host: tailing resumes at the log writers' horizon, read in a statement of its own
 * before the snapshot is taken, so every writer below it had finished and the snapshot holds what
 * it wrote. The state is small (one row per shard, vault, cell host and control plane), so it is
 * read whole.
 */
final class PostgresPlacementSnapshot {
  private final Jdbi jdbi;

  PostgresPlacementSnapshot(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  PlacementSnapshot read() {
    long horizon =
        BaseTransactions.call(
            () ->
                jdbi.withHandle(
                    h ->
                        Long.parseLong(
                            h.createQuery("SELECT log_writers_horizon()::text")
                                .mapTo(String.class)
                                .one())));
    List<PlacementEvent> state =
        BaseTransactions.call(
            () -> jdbi.inTransaction(TransactionIsolationLevel.REPEATABLE_READ, this::state));
    return new PlacementSnapshot(new LogPosition(horizon, 0), state);
  }

  private List<PlacementEvent> state(Handle h) {
    List<PlacementEvent> state = new ArrayList<>();
    // The first statement fixes the transaction's snapshot, after the horizon was read.
    state.addAll(
        h.createQuery("SELECT id, registered_at, version FROM shards ORDER BY id")
            .map(
                (rs, ctx) ->
                    new ShardRegistered(
                        ShardId.of(rs.getString("id")),
                        rs.getObject("registered_at", OffsetDateTime.class).toInstant(),
                        rs.getLong("version")))
            .list());
    state.addAll(
        h.createQuery(
                "SELECT vault, shard, state, created_at, version FROM vault_placements"
                    + " ORDER BY vault")
            .map(
                (rs, ctx) ->
                    new VaultPlaced(
                        new Placement(
                            VaultName.of(rs.getString("vault")),
                            ShardId.of(rs.getString("shard")),
                            Placement.State.valueOf(rs.getString("state")),
                            rs.getObject("created_at", OffsetDateTime.class).toInstant()),
                        rs.getLong("version")))
            .list());
    state.addAll(
        h.createQuery(
                "SELECT shard, host, endpoint, state, version FROM cell_hosts ORDER BY shard, host")
            .map(
                (rs, ctx) ->
                    new CellHostSet(
                        ShardId.of(rs.getString("shard")),
                        new CellHost(
                            HostId.of(rs.getString("host")),
                            Endpoint.parse(rs.getString("endpoint")),
                            HostState.valueOf(rs.getString("state"))),
                        rs.getLong("version")))
            .list());
    state.addAll(
        h.createQuery("SELECT id, endpoint, version FROM control_planes ORDER BY id")
            .map(
                (rs, ctx) ->
                    new ControlPlaneSet(
                        new ControlPlane(
                            ControlPlaneId.of(rs.getString("id")),
                            Endpoint.parse(rs.getString("endpoint"))),
                        rs.getLong("version")))
            .list());
    return state;
  }
}
