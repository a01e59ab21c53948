package dev.coffer.replication.postgres;

import dev.coffer.core.crypto.SealedSecret;
import dev.coffer.core.crypto.WrappedVaultKey;
import dev.coffer.core.event.ReplicationEvent;
import dev.coffer.core.event.SecretDeleted;
import dev.coffer.core.event.SecretVersionPut;
import dev.coffer.core.event.VaultCreated;
import dev.coffer.core.model.LogPosition;
import dev.coffer.core.model.SecretName;
import dev.coffer.core.model.VaultName;
import dev.coffer.core.storage.ShardSnapshotSource;
import java.time.OffsetDateTime;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;

/**
 * The shard store's state as events, read in one REPEATABLE READ transaction and streamed with a
 * cursor so that a large shard never sits in memory at once.
 */
public final class PostgresShardSnapshot implements ShardSnapshotSource {
  private static final int FETCH_SIZE = 500;

  private final ShardDatabase database;

  public PostgresShardSnapshot(ShardDatabase database) {
    this.database = database;
  }

  @Override
  public LogPosition stream(Consumer<ReplicationEvent> sink) {
    return Storage.call(
        "reading a snapshot of the shard",
        () ->
            database
                .jdbi()
                .inTransaction(TransactionIsolationLevel.REPEATABLE_READ, h -> streamIn(h, sink)));
  }

  private static LogPosition streamIn(Handle h, Consumer<ReplicationEvent> sink) {
    // The first statement fixes the transaction's snapshot; its horizon is where tailing resumes:
    // everything below it is in this snapshot.
    long horizon =
        Long.parseLong(
            h.createQuery("SELECT pg_snapshot_xmin(pg_current_snapshot())::text")
                .mapTo(String.class)
                .one());
    try (Stream<ReplicationEvent> vaults =
        h
            .createQuery("SELECT name, entity_version, wrapped_key, created_at FROM vaults")
            .setFetchSize(FETCH_SIZE)
            .map(
                (rs, ctx) ->
                    (ReplicationEvent)
                        new VaultCreated(
                            VaultName.of(rs.getString(1)),
                            rs.getLong(2),
                            new WrappedVaultKey(rs.getBytes(3)),
                            rs.getObject(4, OffsetDateTime.class).toInstant()))
            .stream()) {
      vaults.forEach(sink);
    }
    try (Stream<ReplicationEvent> tombstones =
        h
            .createQuery(
                "SELECT vault, name, tombstone_entity_version, COALESCE(deleted_at, updated_at)"
                    + " FROM secrets WHERE tombstone_entity_version > 0")
            .setFetchSize(FETCH_SIZE)
            .map(
                (rs, ctx) ->
                    (ReplicationEvent)
                        new SecretDeleted(
                            VaultName.of(rs.getString(1)),
                            SecretName.of(rs.getString(2)),
                            rs.getLong(3),
                            rs.getObject(4, OffsetDateTime.class).toInstant()))
            .stream()) {
      tombstones.forEach(sink);
    }
    try (Stream<ReplicationEvent> versions =
        h
            .createQuery(
                "SELECT vault, secret, entity_version, version, created_at, wrapped_data_key,"
                    + " ciphertext FROM secret_versions")
            .setFetchSize(FETCH_SIZE)
            .map(
                (rs, ctx) ->
                    (ReplicationEvent)
                        new SecretVersionPut(
                            VaultName.of(rs.getString(1)),
                            SecretName.of(rs.getString(2)),
                            rs.getLong(3),
                            rs.getLong(4),
                            rs.getObject(5, OffsetDateTime.class).toInstant(),
                            new SealedSecret(rs.getBytes(6), rs.getBytes(7))))
            .stream()) {
      versions.forEach(sink);
    }
    return new LogPosition(horizon, 0);
  }
}
