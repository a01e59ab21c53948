package dev.coffer.replication.postgres;

import dev.coffer.core.event.ReplicationEvent;
import dev.coffer.core.event.ReplicationEventCodec;
import dev.coffer.core.model.LogPosition;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Handle;

/**
 * Appends events to the replication log inside the caller's transaction. Nothing here takes a
 * shard-wide lock: concurrent writers append in parallel, and readers stay correct because they
 * only read below the oldest log writer's transaction still in flight ({@link PostgresLogReader}).
 *
 * <p>Every appending transaction first enters the log writers' gate (shard schema V8), a shared
 * advisory lock taken before the transaction has an id, so a tailer can tell a writer's id in
 * flight from anyone else's. The database refuses an append outside the gate and a gate entered
 * after the id, so a writer that gets this wrong fails loudly instead of risking a skipped event.
 */
public final class PostgresLogWriter {
  /**
   * One log row as written: the vault (or other key) it is about, the entity and its version, for
   * operators and truncation, and the encoded entry. A store whose log holds something other than
   * secret events (the base store's placements) appends these directly.
   */
  public record LogRecord(String vault, String entity, long entityVersion, byte[] payload) {
    static LogRecord of(ReplicationEvent event) {
      return new LogRecord(
          event.vault().value(),
          event.entity(),
          event.entityVersion(),
          ReplicationEventCodec.encode(event));
    }

    /** Without the payload, which may be ciphertext. */
    @Override
    public String toString() {
      return "LogRecord[" + entity + " v" + entityVersion + "]";
    }
  }

  static final String CHANNEL = "coffer_replication_log";

  /**
   * The SQL condition that enters the gate: true, so a single-statement write can put it in the
   * WHERE clause of the scan whose row lock or insert gives the statement its transaction id — a
   * qualification is evaluated before the row it passes is locked or written.
   */
  static final String ENTER_GATE = "log_writer_gate()";

  /**
   * The appended row's position as bigints (xid8 has no cast to bigint; text has), named for the
   * companion insert to read.
   */
  private static final String INSERT_EVENT =
      "WITH e AS (INSERT INTO replication_log (vault, entity, entity_version, payload)"
          + " VALUES (?, ?, ?, ?)"
          + " RETURNING tx_id::text::bigint AS tx, seq)";

  // pg_notify is delivered at commit, and not at all on rollback, so hosts wake for exactly the
  // committed work; it rides on the insert to spare a round trip.
  private static final String SELECT_POSITION_AND_NOTIFY =
      " SELECT e.tx, e.seq, pg_notify('" + CHANNEL + "', '') FROM e";

  private PostgresLogWriter() {}

  /**
   * Enters the gate as a transaction's first statement: call it before anything that could give the
   * transaction an id (a write or a row lock).
   */
  public static void enterGate(Handle transaction) {
    transaction.createQuery("SELECT " + ENTER_GATE).mapTo(Boolean.class).one();
  }

  static LogPosition append(Handle transaction, ReplicationEvent event) {
    return append(transaction, LogRecord.of(event));
  }

  /**
   * Appends {@code record} in {@code transaction}, which must have entered the gate ({@link
   * #enterGate}) as its first statement; hosts or routers listening on the log are woken at commit.
   */
  public static LogPosition append(Handle transaction, LogRecord record) {
    return execute(transaction, INSERT_EVENT + SELECT_POSITION_AND_NOTIFY, record, Map.of());
  }

  /**
   * Appends {@code event} and inserts {@code row} in the same statement, with the event's position
   * in the row's {@code log_tx} and {@code log_seq}: one round trip where the row would otherwise
   * wait for the position to come back.
   */
  static LogPosition append(Handle transaction, ReplicationEvent event, PositionedRow row) {
    return execute(
        transaction,
        INSERT_EVENT + rowInsert(row) + SELECT_POSITION_AND_NOTIFY,
        LogRecord.of(event),
        row.values());
  }

  /**
   * Appends {@code event} and inserts {@code row}, as {@link #append(Handle, ReplicationEvent,
   * PositionedRow)} does, but only if {@code gate} yields a row: {@code gate} is common table
   * expressions, the last one named {@code gate}, whose parameters come first, in {@code
   * gateValues}' order. All of it is one statement, so on an autocommit connection the write is one
   * round trip and its transaction id is held only while PostgreSQL runs it. The first row {@code
   * gate} locks or writes must be produced by a scan qualified by {@link #ENTER_GATE}: every write
   * of the statement then waits for that row, so for the gate.
   *
   * @return the event's position, or empty when the gate yielded nothing and nothing was appended
   */
  static Optional<LogPosition> appendIf(
      Connection connection,
      String gate,
      List<Object> gateValues,
      ReplicationEvent event,
      PositionedRow row)
      throws SQLException {
    StringBuilder sql = new StringBuilder("WITH ").append(gate);
    sql.append(", e AS (INSERT INTO replication_log (vault, entity, entity_version, payload)")
        .append(" SELECT ?, ?, ?, ? FROM gate RETURNING tx_id::text::bigint AS tx, seq)");
    sql.append(rowInsert(row)).append(SELECT_POSITION_AND_NOTIFY);
    try (PreparedStatement statement = connection.prepareStatement(sql.toString())) {
      int index = 1;
      for (Object value : gateValues) {
        statement.setObject(index++, value);
      }
      bind(statement, index, LogRecord.of(event), row.values());
      try (ResultSet rs = statement.executeQuery()) {
        return rs.next()
            ? Optional.of(new LogPosition(rs.getLong("tx"), rs.getLong("seq")))
            : Optional.empty();
      }
    }
  }

  private static String rowInsert(PositionedRow row) {
    StringBuilder columns = new StringBuilder();
    StringBuilder values = new StringBuilder();
    for (String column : row.values().keySet()) {
      columns.append(column).append(", ");
      values.append("?, ");
    }
    return ", r AS (INSERT INTO "
        + row.table()
        + " ("
        + columns
        + "log_tx, log_seq) SELECT "
        + values
        + "e.tx, e.seq FROM e)";
  }

  private static void bind(
      PreparedStatement statement, int first, LogRecord record, Map<String, Object> row)
      throws SQLException {
    int index = first;
    statement.setString(index++, record.vault());
    statement.setString(index++, record.entity());
    statement.setLong(index++, record.entityVersion());
    statement.setBytes(index++, record.payload());
    for (Object value : row.values()) {
      statement.setObject(index++, value);
    }
  }

  /** Plain JDBC (see Storage.jdbc): every write runs this. */
  private static LogPosition execute(
      Handle transaction, String sql, LogRecord record, Map<String, Object> row) {
    return Storage.jdbc(
        transaction,
        "appending to the replication log",
        connection -> {
          try (PreparedStatement statement = connection.prepareStatement(sql)) {
            bind(statement, 1, record, row);
            try (ResultSet rs = statement.executeQuery()) {
              if (!rs.next()) {
                throw new SQLException("the log append returned no position");
              }
              return new LogPosition(rs.getLong("tx"), rs.getLong("seq"));
            }
          }
        });
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
