package dev.coffer.placement.postgres;

import dev.coffer.core.model.ControlPlaneId;
import dev.coffer.core.model.Endpoint;
import dev.coffer.core.model.HostId;
import dev.coffer.core.model.ShardId;
import dev.coffer.core.storage.CellMembership.HostState;
import dev.coffer.placement.CellHost;
import dev.coffer.placement.ControlPlane;
import dev.coffer.placement.RoutingDirectory;
import dev.coffer.placement.log.PlacementEvent.CellHostRemoved;
import dev.coffer.placement.log.PlacementEvent.CellHostSet;
import dev.coffer.placement.log.PlacementEvent.ControlPlaneRemoved;
import dev.coffer.placement.log.PlacementEvent.ControlPlaneSet;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The routing directory in the base store. Each change and its log entry are one transaction that
 * enters the log writers' gate first; changes to one shard's cell, and to the control planes, are
 * serialised by advisory locks taken before a version is drawn, so versions rise in commit order.
 */
public final class PostgresRoutingDirectory implements RoutingDirectory {
  private final Jdbi jdbi;

  public PostgresRoutingDirectory(BaseDatabase database) {
    this.jdbi = database.database().jdbi();
  }

  @Override
  public void syncCell(ShardId shard, List<CellHost> hosts) {
    Map<HostId, CellHost> wanted = new LinkedHashMap<>();
    for (CellHost host : hosts) {
      if (wanted.put(host.host(), host) != null) {
        throw new IllegalArgumentException("a host appears twice in one cell");
      }
    }
    BaseTransactions.locked(
        jdbi,
        BaseTransactions.CELL_LOCK,
        shard.value(),
        h -> {
          Map<HostId, CellHost> recorded = new LinkedHashMap<>();
          for (CellHost host : cellIn(h, shard)) {
            recorded.put(host.host(), host);
          }
          for (CellHost host : wanted.values()) {
            if (!host.equals(recorded.get(host.host()))) {
              long version = BaseTransactions.nextVersion(h);
              h.createUpdate(
                      "INSERT INTO cell_hosts (shard, host, endpoint, state, version)"
                          + " VALUES (:shard, :host, :endpoint, :state, :version)"
                          + " ON CONFLICT (shard, host) DO UPDATE SET endpoint = excluded.endpoint,"
                          + " state = excluded.state, version = excluded.version")
                  .bind("shard", shard.value())
                  .bind("host", host.host().value())
                  .bind("endpoint", host.endpoint().toString())
                  .bind("state", host.state().name())
                  .bind("version", version)
                  .execute();
              BaseTransactions.append(h, "", new CellHostSet(shard, host, version));
            }
          }
          Set<HostId> gone = new HashSet<>(recorded.keySet());
          gone.removeAll(wanted.keySet());
          for (HostId host : gone) {
            long version = BaseTransactions.nextVersion(h);
            h.createUpdate("DELETE FROM cell_hosts WHERE shard = :shard AND host = :host")
                .bind("shard", shard.value())
                .bind("host", host.value())
                .execute();
            BaseTransactions.append(h, "", new CellHostRemoved(shard, host, version));
          }
          return null;
        });
  }

  @Override
  public List<CellHost> cell(ShardId shard) {
    return BaseTransactions.call(() -> jdbi.withHandle(h -> cellIn(h, shard)));
  }

  private static List<CellHost> cellIn(Handle h, ShardId shard) {
    return h.createQuery(
            "SELECT host, endpoint, state FROM cell_hosts WHERE shard = :shard ORDER BY host")
        .bind("shard", shard.value())
        .map((rs, ctx) -> cellHost(rs))
        .list();
  }

  private static CellHost cellHost(ResultSet rs) throws SQLException {
    return new CellHost(
        HostId.of(rs.getString("host")),
        Endpoint.parse(rs.getString("endpoint")),
        HostState.valueOf(rs.getString("state")));
  }

  @Override
  public void registerControlPlane(ControlPlane controlPlane) {
    BaseTransactions.locked(
        jdbi,
        BaseTransactions.CONTROL_PLANE_LOCK,
        controlPlane.id().value(),
        h -> {
          boolean same =
              h.createQuery("SELECT endpoint FROM control_planes WHERE id = :id")
                  .bind("id", controlPlane.id().value())
                  .mapTo(String.class)
                  .findOne()
                  .filter(endpoint -> endpoint.equals(controlPlane.endpoint().toString()))
                  .isPresent();
          if (!same) {
            long version = BaseTransactions.nextVersion(h);
            h.createUpdate(
                    "INSERT INTO control_planes (id, endpoint, version, registered_at)"
                        + " VALUES (:id, :endpoint, :version, clock_timestamp())"
                        + " ON CONFLICT (id) DO UPDATE SET endpoint = excluded.endpoint,"
                        + " version = excluded.version, registered_at = excluded.registered_at")
                .bind("id", controlPlane.id().value())
                .bind("endpoint", controlPlane.endpoint().toString())
                .bind("version", version)
                .execute();
            BaseTransactions.append(h, "", new ControlPlaneSet(controlPlane, version));
          }
          return null;
        });
  }

  @Override
  public boolean removeControlPlane(ControlPlaneId id) {
    return BaseTransactions.locked(
        jdbi,
        BaseTransactions.CONTROL_PLANE_LOCK,
        id.value(),
        h -> {
          int deleted =
              h.createUpdate("DELETE FROM control_planes WHERE id = :id")
                  .bind("id", id.value())
                  .execute();
          if (deleted == 0) {
            return false;
          }
          BaseTransactions.append(
              h, "", new ControlPlaneRemoved(id, BaseTransactions.nextVersion(h)));
          return true;
        });
  }

  @Override
  public List<ControlPlane> controlPlanes() {
    return BaseTransactions.call(
        () ->
            jdbi.withHandle(
                h ->
                    h.createQuery("SELECT id, endpoint FROM control_planes ORDER BY id")
                        .map(
                            (rs, ctx) ->
                                new ControlPlane(
                                    ControlPlaneId.of(rs.getString("id")),
                                    Endpoint.parse(rs.getString("endpoint"))))
                        .list()));
  }
}
