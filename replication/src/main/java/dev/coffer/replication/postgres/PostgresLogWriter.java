package dev.coffer.replication.postgres;

import dev.coffer.core.event.ReplicationEvent;
import dev.coffer.core.event.ReplicationEventCodec;
import dev.coffer.core.model.LogPosition;
import org.jdbi.v3.core.Handle;

/**
 * Appends events to the replication log inside the caller's transaction. Nothing here takes a
 * shard-wide lock: concurrent writers append in parallel, and readers stay correct because they
 * only read below the oldest transaction still in flight ({@link PostgresLogReader}).
 */
final class PostgresLogWriter {
  static final String CHANNEL = "coffer_replication_log";

  private PostgresLogWriter() {}

  static LogPosition append(Handle transaction, ReplicationEvent event) {
    // pg_notify is delivered at commit, and not at all on rollback, so hosts wake for exactly the
    // committed work; it rides on the insert to spare a round trip.
    return transaction
        .createQuery(
            "WITH e AS (INSERT INTO replication_log (vault, entity, entity_version, payload)"
                + " VALUES (:vault, :entity, :ev, :payload) RETURNING tx_id, seq)"
                + " SELECT e.tx_id::text AS tx, e.seq, pg_notify('"
                + CHANNEL
                + "', '') FROM e")
        .bind("vault", event.vault().value())
        .bind("entity", event.entity())
        .bind("ev", event.entityVersion())
        .bind("payload", ReplicationEventCodec.encode(event))
        .map((rs, ctx) -> new LogPosition(Long.parseLong(rs.getString("tx")), rs.getLong("seq")))
        .one();
  }
}
