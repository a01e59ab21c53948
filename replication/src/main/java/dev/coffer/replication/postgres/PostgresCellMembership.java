package dev.coffer.replication.postgres;

import dev.coffer.core.model.Endpoint;
import dev.coffer.core.model.HostId;
import dev.coffer.core.model.LogPosition;
import dev.coffer.core.storage.CellMembership;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

/** The cell's membership and version activation, in the shard store. */
public final class PostgresCellMembership implements CellMembership {
  static final String CHANNEL = "coffer_host_positions";

  private final ShardDatabase database;

  public PostgresCellMembership(ShardDatabase database) {
    this.database = database;
  }

  @Override
  public void register(HostId host, LogPosition applied) {
    Storage.withHandle(
        database,
        "registering the host",
        h ->
            h.createUpdate(
                    "INSERT INTO cell_hosts (host_id, state, applied_tx, applied_seq,"
                        + " registered_at, reported_at)"
                        + " VALUES (:host, 'JOINING', :tx, :seq, :now, :now)"
                        + " ON CONFLICT (host_id) DO UPDATE SET"
                        // A host whose replica went backwards must catch up again
                        // before it counts: it may lack versions already ACTIVE.
                        + " state = CASE WHEN (cell_hosts.applied_tx,"
                        + " cell_hosts.applied_seq) > (excluded.applied_tx,"
                        + " excluded.applied_seq) THEN 'JOINING' ELSE cell_hosts.state"
                        + " END, applied_tx = excluded.applied_tx,"
                        + " applied_seq = excluded.applied_seq,"
                        + " reported_at = excluded.reported_at")
                .bind("host", host.value())
                .bind("tx", applied.txId())
                .bind("seq", applied.seq())
                .bind("now", now())
                .execute());
  }

  @Override
  public void advertise(HostId host, Endpoint endpoint) {
    Storage.withHandle(
        database,
        "advertising the host's endpoint",
        h ->
            h.createUpdate("UPDATE cell_hosts SET endpoint = :endpoint WHERE host_id = :host")
                .bind("host", host.value())
                .bind("endpoint", endpoint.toString())
                .execute());
  }

  /**
   * One statement, so one round trip: the notification wakes the promoter. Committed without
   * waiting for the WAL flush (synchronous_commit off for this transaction only): a report lost in
   * a database crash is simply sent again, and nothing can depend on one that was lost — a
   * promotion that read it commits synchronously, which flushes the WAL up to its own commit record
   * and so the report's too. The host's apply thread never waits for this.
   */
  private static final String REPORT =
      "WITH s AS (SELECT set_config('synchronous_commit', 'off', true)),"
          + " u AS (UPDATE cell_hosts SET reported_at = ?,"
          + " applied_tx = GREATEST(applied_tx, ?),"
          + " applied_seq = CASE WHEN (applied_tx, applied_seq) < (?, ?) THEN ? ELSE applied_seq END"
          + " WHERE host_id = ? RETURNING 1)"
          + " SELECT pg_notify('"
          + CHANNEL
          + "', '') FROM (SELECT count(*) FROM u) AS c, s";

  @Override
  public void report(HostId host, LogPosition applied) {
    // Every host sends this after each applied batch: plain JDBC, see Storage.jdbc.
    Storage.jdbc(
        database,
        "reporting the applied position",
        connection -> {
          try (PreparedStatement statement = connection.prepareStatement(REPORT)) {
            statement.setObject(1, now());
            statement.setLong(2, applied.txId());
            statement.setLong(3, applied.txId());
            statement.setLong(4, applied.seq());
            statement.setLong(5, applied.seq());
            statement.setString(6, host.value());
            try (ResultSet rs = statement.executeQuery()) {
              return rs.next();
            }
          }
        });
  }

  @Override
  public boolean remove(HostId host) {
    return Storage.call(
        "removing the host",
        () ->
            database
                    .jdbi()
                    .withHandle(
                        h ->
                            h.createUpdate("DELETE FROM cell_hosts WHERE host_id = :host")
                                .bind("host", host.value())
                                .execute())
                > 0);
  }

  @Override
  public List<HostStatus> hosts() {
    return Storage.withHandle(
        database,
        "listing the cell's hosts",
        h ->
            h.createQuery(
                    "SELECT host_id, state, applied_tx, applied_seq, registered_at,"
                        + " reported_at, endpoint FROM cell_hosts ORDER BY host_id")
                .map((rs, ctx) -> status(rs))
                .list());
  }

  @Override
  public Promotion promote() {
    // Raising the watermark is the promotion: a version is ACTIVE when its put event's position
    // is at or below it (see versionState). No version row changes, so a write costs no second
    // row version when it activates. The round is the shard schema's promotion_round() (V9): it
    // takes the promotion lock and then runs the round with a snapshot taken after the lock was
    // granted, in one autocommit statement, so it holds a transaction id (if it raises) only while
    // it runs, never across a round trip to this process, and the lock ends with it.
    return Storage.jdbc(
        database,
        "promoting versions",
        connection -> {
          try (PreparedStatement statement = connection.prepareStatement(PROMOTE);
              ResultSet rs = statement.executeQuery()) {
            rs.next();
            return promotion(rs);
          }
        });
  }

  private static final String PROMOTE =
      "SELECT watermark_tx, watermark_seq, new_members, raised_tx, raised_seq, promoted_versions"
          + " FROM promotion_round()";

  private static Promotion promotion(ResultSet rs) throws SQLException {
    LogPosition watermark =
        new LogPosition(rs.getLong("watermark_tx"), rs.getLong("watermark_seq"));
    int newMembers = rs.getInt("new_members");
    long tx = rs.getLong("raised_tx");
    if (rs.wasNull()) {
      // No member, or none above the watermark: nothing new.
      return new Promotion(watermark, 0, newMembers);
    }
    return new Promotion(
        new LogPosition(tx, rs.getLong("raised_seq")), rs.getInt("promoted_versions"), newMembers);
  }

  private static HostStatus status(ResultSet rs) throws SQLException {
    return new HostStatus(
        HostId.of(rs.getString("host_id")),
        HostState.valueOf(rs.getString("state")),
        new LogPosition(rs.getLong("applied_tx"), rs.getLong("applied_seq")),
        rs.getObject("registered_at", OffsetDateTime.class).toInstant(),
        rs.getObject("reported_at", OffsetDateTime.class).toInstant(),
        Optional.ofNullable(rs.getString("endpoint")).map(Endpoint::parse));
  }

  private static OffsetDateTime now() {
    return OffsetDateTime.now(ZoneOffset.UTC);
  }
}
