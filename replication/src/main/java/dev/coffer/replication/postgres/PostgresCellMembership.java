package dev.coffer.replication.postgres;

import dev.coffer.core.model.HostId;
import dev.coffer.core.model.LogPosition;
import dev.coffer.core.storage.CellMembership;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

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
                        + " reported_at FROM cell_hosts ORDER BY host_id")
                .map((rs, ctx) -> status(rs))
                .list());
  }

  @Override
  public Promotion promote() {
    // Raising the watermark is the promotion: a version is ACTIVE when its put event's position
    // is at or below it (see versionState). No version row changes, so a write costs no second
    // row version when it activates. A round is three autocommit statements: the lock, the round
    // (which commits as it ends), the unlock. Not one transaction: a round that raises takes a
    // transaction id, and between a statement and a separate commit it would hold back every
    // tailer's horizon for a round trip to this process, for as long as this thread waits for a
    // core. The next round's lock is granted after the unlock, so after this round committed.
    return Storage.jdbc(
        database,
        "promoting versions",
        // The pool's connection, in autocommit mode: each statement commits as it ends.
        connection -> SessionLock.around(connection, PROMOTION_LOCK, () -> round(connection)));
  }

  /**
   * Serialises promotion rounds on a shard, whichever control plane runs them. An advisory lock
   * rather than a row lock: a row lock needs a transaction id, and a transaction id in flight holds
   * back every tailer's horizon ({@link PostgresLogReader}) without a notification to wake them
   * when it ends — most rounds raise nothing and hold no transaction id at all. Session-level, held
   * across the round's autocommit statement; it excludes rounds of control planes that take the
   * same key's transaction-level lock too.
   */
  private static final long PROMOTION_LOCK = 0x436f_6666_6572_5031L; // "CofferP1"

  /**
   * A promotion round after the lock: read the watermark, admit the JOINING hosts that reached it,
   * find the lowest member, raise the watermark to it if it is higher, and count the versions that
   * became ACTIVE (for the metric) — one statement, one round trip. Its snapshot is taken after the
   * lock statement returned, so it sees every earlier round's watermark and admissions. Within the
   * statement the snapshot still shows the hosts it admits as JOINING, so they join the members
   * through the update's RETURNING, never twice. The raise compares with the row itself, so the
   * watermark only rises even against a round that did not take this lock.
   */
  private static final String PROMOTE =
      "WITH w AS (SELECT activated_tx, activated_seq FROM cell_activation),"
          + " admitted AS (UPDATE cell_hosts h SET state = 'MEMBER' FROM w"
          + " WHERE h.state = 'JOINING'"
          + " AND (h.applied_tx, h.applied_seq) >= (w.activated_tx, w.activated_seq)"
          + " RETURNING h.applied_tx, h.applied_seq),"
          + " lowest AS (SELECT applied_tx, applied_seq FROM"
          + " (SELECT applied_tx, applied_seq FROM cell_hosts WHERE state = 'MEMBER'"
          + " UNION ALL SELECT applied_tx, applied_seq FROM admitted) AS m"
          + " ORDER BY applied_tx, applied_seq LIMIT 1),"
          + " raised AS (UPDATE cell_activation a SET activated_tx = lowest.applied_tx,"
          + " activated_seq = lowest.applied_seq FROM lowest"
          + " WHERE (lowest.applied_tx, lowest.applied_seq) > (a.activated_tx, a.activated_seq)"
          + " RETURNING a.activated_tx, a.activated_seq)"
          + " SELECT w.activated_tx AS from_tx, w.activated_seq AS from_seq,"
          + " (SELECT count(*) FROM admitted) AS admitted,"
          + " raised.activated_tx, raised.activated_seq,"
          + " (SELECT count(*) FROM secret_versions"
          + " WHERE (log_tx, log_seq) > (w.activated_tx, w.activated_seq)"
          + " AND (log_tx, log_seq) <= (raised.activated_tx, raised.activated_seq)) AS promoted"
          + " FROM w LEFT JOIN raised ON true";

  private static Promotion round(Connection connection) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(PROMOTE);
        ResultSet rs = statement.executeQuery()) {
      rs.next();
      LogPosition watermark = new LogPosition(rs.getLong("from_tx"), rs.getLong("from_seq"));
      int newMembers = rs.getInt("admitted");
      long tx = rs.getLong("activated_tx");
      if (rs.wasNull()) {
        // No member, or none above the watermark: nothing new.
        return new Promotion(watermark, 0, newMembers);
      }
      return new Promotion(
          new LogPosition(tx, rs.getLong("activated_seq")), rs.getInt("promoted"), newMembers);
    }
  }

  private static HostStatus status(ResultSet rs) throws SQLException {
    return new HostStatus(
        HostId.of(rs.getString("host_id")),
        HostState.valueOf(rs.getString("state")),
        new LogPosition(rs.getLong("applied_tx"), rs.getLong("applied_seq")),
        rs.getObject("registered_at", OffsetDateTime.class).toInstant(),
        rs.getObject("reported_at", OffsetDateTime.class).toInstant());
  }

  private static OffsetDateTime now() {
    return OffsetDateTime.now(ZoneOffset.UTC);
  }
}
