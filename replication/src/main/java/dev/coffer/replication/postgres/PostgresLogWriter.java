package dev.coffer.replication.postgres;

import dev.coffer.core.event.ReplicationEvent;
import dev.coffer.core.event.ReplicationEventCodec;
import dev.coffer.core.model.LogPosition;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;

/**
 * Appends events to the replication log inside the caller's transaction. Nothing here takes a
 * shard-wide lock: concurrent writers append in parallel, and readers stay correct because they
 * only read below the oldest transaction still in flight ({@link PostgresLogReader}).
 */
final class PostgresLogWriter {
  static final String CHANNEL = "coffer_replication_log";

  /**
   * The appended row's position as bigints (xid8 has no cast to bigint; text has), named for the
   * companion insert to read.
   */
  private static final String INSERT_EVENT =
      "WITH e AS (INSERT INTO replication_log (vault, entity, entity_version, payload)"
          + " VALUES (:vault, :entity, :ev, :payload)"
          + " RETURNING tx_id::text::bigint AS tx, seq)";

  // pg_notify is delivered at commit, and not at all on rollback, so hosts wake for exactly the
  // committed work; it rides on the insert to spare a round trip.
  private static final String SELECT_POSITION_AND_NOTIFY =
      " SELECT e.tx, e.seq, pg_notify('" + CHANNEL + "', '') FROM e";

  private PostgresLogWriter() {}

  static LogPosition append(Handle transaction, ReplicationEvent event) {
    return position(
        bindEvent(transaction.createQuery(INSERT_EVENT + SELECT_POSITION_AND_NOTIFY), event));
  }

  /**
   * Appends {@code event} and inserts {@code row} in the same statement, with the event's position
   * in the row's {@code log_tx} and {@code log_seq}: one round trip where the row would otherwise
   * wait for the position to come back.
   */
  static LogPosition append(Handle transaction, ReplicationEvent event, PositionedRow row) {
    StringBuilder columns = new StringBuilder();
    StringBuilder values = new StringBuilder();
    for (String column : row.values().keySet()) {
      columns.append(column).append(", ");
      values.append(":row_").append(column).append(", ");
    }
    String sql =
        INSERT_EVENT
            + ", r AS (INSERT INTO "
            + row.table()
            + " ("
            + columns
            + "log_tx, log_seq) SELECT "
            + values
            + "e.tx, e.seq FROM e)"
            + SELECT_POSITION_AND_NOTIFY;
    Query query = bindEvent(transaction.createQuery(sql), event);
    row.values().forEach((column, value) -> query.bind("row_" + column, value));
    return position(query);
  }

  private static Query bindEvent(Query query, ReplicationEvent event) {
    return query
        .bind("vault", event.vault().value())
        .bind("entity", event.entity())
        .bind("ev", event.entityVersion())
        .bind("payload", ReplicationEventCodec.encode(event));
  }

  private static LogPosition position(Query query) {
    return query.map((rs, ctx) -> new LogPosition(rs.getLong("tx"), rs.getLong("seq"))).one();
  }

  /**
   * A row that records the log position of the event appended with it, in columns {@code log_tx}
   * and {@code log_seq}. Table and column names go into the SQL text, so they must be the caller's
   * constants; values are bound.
   */
  record PositionedRow(String table, Map<String, Object> values) {
    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]*");

    PositionedRow {
      if (!IDENTIFIER.matcher(table).matches()
          || values.isEmpty()
          || !values.keySet().stream().allMatch(c -> IDENTIFIER.matcher(c).matches())) {
        throw new IllegalArgumentException("table and column names must be plain identifiers");
      }
      // Kept in the caller's order, so the SQL text is the same every time and stays prepared.
      values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** Names the columns only: values may be key material or ciphertext. */
    @Override
    public String toString() {
      return "PositionedRow[" + table + " " + values.keySet() + "]";
    }
  }
}
