package dev.coffer.replication.postgres;

import dev.coffer.core.crypto.SealedSecret;
import dev.coffer.core.crypto.VaultKeyRing;
import dev.coffer.core.event.ReplicationEvent;
import dev.coffer.core.event.SecretDeleted;
import dev.coffer.core.event.SecretStagesChanged;
import dev.coffer.core.event.SecretVersionPut;
import dev.coffer.core.event.VaultCreated;
import dev.coffer.core.model.LogPosition;
import dev.coffer.core.model.SecretName;
import dev.coffer.core.model.StageMap;
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

  /**
   * Tailing resumes at the log writers' horizon, read in a statement of its own before the snapshot
   * is taken: every log writer with a smaller transaction id had finished by the time the snapshot
   * was (the argument of {@link PostgresLogReader}), so the snapshot holds all it wrote. The
   * server's own horizon would do too, but a long transaction that appends nothing (another
   * database's, say) holds it back while the hosts read past it, and the log may already be
   * truncated above it: a host would bootstrap again and again.
   */
  @Override
  public LogPosition stream(Consumer<ReplicationEvent> sink) {
    long horizon =
        Storage.withHandle(
            database,
            "reading the log writers' horizon",
            h ->
                Long.parseLong(
                    h.createQuery(HorizonLogReader.WRITERS_HORIZON).mapTo(String.class).one()));
    return Storage.call(
        "reading a snapshot of the shard",
        () ->
            database
                .jdbi()
                .inTransaction(
                    TransactionIsolationLevel.REPEATABLE_READ, h -> streamIn(h, horizon, sink)));
  }

  private static LogPosition streamIn(Handle h, long horizon, Consumer<ReplicationEvent> sink) {
    // The first statement below fixes the transaction's snapshot, after the horizon was read.
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
                            VaultKeyRing.decode(rs.getBytes(3)),
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
                "SELECT v.vault, v.secret, v.entity_version, v.version, v.created_at,"
                    + " v.wrapped_data_key, v.ciphertext, s.current_version, s.previous_version,"
                    + " s.pending_version FROM secret_versions v"
                    + " JOIN secrets s ON s.vault = v.vault AND s.name = v.secret")
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
                            new SealedSecret(rs.getBytes(6), rs.getBytes(7)),
                            new StageMap(rs.getLong(8), rs.getLong(9), rs.getLong(10))))
            .stream()) {
      versions.forEach(sink);
    }
    // Each version above carries the secret's present map, but at its own (older) entity version;
    // a replica already holding a newer map than that keeps it. The secret's map at the secret's
    // entity version settles it, and comes last so that it never names a version not yet sent.
    try (Stream<ReplicationEvent> stages =
        h
            .createQuery(
                "SELECT vault, name, entity_version, current_version, previous_version,"
                    + " pending_version, updated_at FROM secrets WHERE deleted_at IS NULL")
            .setFetchSize(FETCH_SIZE)
            .map(
                (rs, ctx) ->
                    (ReplicationEvent)
                        new SecretStagesChanged(
                            VaultName.of(rs.getString(1)),
                            SecretName.of(rs.getString(2)),
                            rs.getLong(3),
                            new StageMap(rs.getLong(4), rs.getLong(5), rs.getLong(6)),
                            rs.getObject(7, OffsetDateTime.class).toInstant()))
            .stream()) {
      stages.forEach(sink);
    }
    return new LogPosition(horizon, 0);
  }
}
