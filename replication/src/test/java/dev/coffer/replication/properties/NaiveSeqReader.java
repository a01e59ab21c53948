package dev.coffer.replication.properties;

import dev.coffer.core.event.PositionedEvent;
import dev.coffer.core.event.ReplicationEventCodec;
import dev.coffer.core.model.LogPosition;
import dev.coffer.core.storage.ReplicationLogReader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * The outbox design that docs/replication.md rejects: a position is just the row's {@code seq}, and
 * a host reads {@code WHERE seq > :lastSeq ORDER BY seq}. Positions it returns are {@code (0,
 * seq)}, so a replica's applied position is the highest seq it has applied, exactly what that
 * design stores. It exists only to show that the interleaving properties catch the gap it leaves.
 */
final class NaiveSeqReader implements ReplicationLogReader {
  private final Connection connection;

  NaiveSeqReader(Connection connection) {
    this.connection = connection;
  }

  @Override
  public List<PositionedEvent> readAfter(LogPosition after, int max) {
    try (PreparedStatement query =
        connection.prepareStatement(
            "SELECT seq, payload, appended_at FROM replication_log"
                + " WHERE seq > ? ORDER BY seq LIMIT ?")) {
      query.setLong(1, after.seq());
      query.setInt(2, max);
      List<PositionedEvent> events = new ArrayList<>();
      try (ResultSet rs = query.executeQuery()) {
        while (rs.next()) {
          events.add(
              new PositionedEvent(
                  new LogPosition(0, rs.getLong("seq")),
                  ReplicationEventCodec.decode(rs.getBytes("payload")),
                  rs.getObject("appended_at", OffsetDateTime.class).toInstant()));
        }
      }
      return events;
    } catch (SQLException e) {
      throw new IllegalStateException("naive read failed", e);
    }
  }
}
