package dev.coffer.dataplane.storage.rocksdb;

import dev.coffer.core.event.PositionedEvent;
import dev.coffer.core.event.ReplicationEvent;
import dev.coffer.core.event.SecretDeleted;
import dev.coffer.core.event.SecretStagesChanged;
import dev.coffer.core.event.SecretVersionPut;
import dev.coffer.core.event.VaultCreated;
import dev.coffer.core.model.LogPosition;
import dev.coffer.core.model.SecretMetadata;
import dev.coffer.core.model.SecretName;
import dev.coffer.core.model.SecretVersionRecord;
import dev.coffer.core.model.StageMap;
import dev.coffer.core.model.VaultName;
import dev.coffer.core.model.VaultRecord;
import dev.coffer.core.storage.ReplicaBatches;
import dev.coffer.core.storage.ReplicaStore;
import dev.coffer.dataplane.storage.rocksdb.ValueCodec.SecretMeta;
import dev.coffer.dataplane.storage.rocksdb.ValueCodec.StoredVault;
import dev.coffer.dataplane.storage.rocksdb.ValueCodec.StoredVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.rocksdb.Options;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Snapshot;
import org.rocksdb.WALRecoveryMode;
import org.rocksdb.WriteBatchWithIndex;
import org.rocksdb.WriteOptions;

/**
 * A replica in a local RocksDB directory (key layout in {@link KeyLayout}).
 *
 * <p>Each {@link #apply} builds one {@link WriteBatchWithIndex} holding the batch's effects and the
 * new applied position, and commits it with one write, so after a crash the directory holds either
 * all of a batch or none of it, and the position always describes the data. Reads during apply go
 * through the batch's index, so an event sees the effects of earlier events of the same batch.
 *
 * <p>Writes are synced. The position and data share a WAL record, so even an unsynced write could
 * only lose whole batches and the host would re-tail from the older position; but by then the host
 * may have answered reads at the newer position (and honoured replication tokens for it), and a
 * replica that goes back in time after a power loss would show clients older state than they have
 * already seen. One fsync per batch is cheap next to that, and the tailer applies many events per
 * batch.
 *
 * <p>Thread safety: reads run concurrently with each other and with apply (RocksDB is thread-safe,
 * and multi-key reads use a snapshot); applies are serialised, because each reads the state its
 * predecessor wrote. A lifecycle lock keeps {@link #close} from freeing native handles under a
 * running call, which would crash the JVM instead of throwing.
 */
public final class RocksDbReplicaStore implements ReplicaStore {
  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rwx------");

  /** Layout 1 predates version stages; it is migrated in place when opened. */
  private static final byte[] FORMAT_V1 = {1};

  /** Layout 2: secret metadata carries the stage map. */
  private static final byte[] FORMAT_V2 = {2};

  static {
    RocksDB.loadLibrary();
  }

  private final Options options;
  private final RocksDB db;
  private final WriteOptions writeOptions;
  private final Object applyLock = new Object();
  private final ReadWriteLock lifecycle = new ReentrantReadWriteLock();
  private boolean closed;
  private volatile LogPosition applied;

  private RocksDbReplicaStore(
      Options options, RocksDB db, WriteOptions writeOptions, LogPosition applied) {
    this.options = options;
    this.db = db;
    this.writeOptions = writeOptions;
    this.applied = applied;
  }

  /**
   * Opens the replica in {@code directory}, creating it when absent. Only one store may have a
   * directory open at a time (RocksDB locks it).
   *
   * @throws UncheckedIOException when the directory cannot be created or opened
   * @throws IllegalStateException when the directory holds a different key layout
   */
  public static RocksDbReplicaStore open(Path directory) {
    Objects.requireNonNull(directory, "directory");
    try {
      // Owner-only, whatever the umask: the replica holds every secret of the shard (sealed, but
      // with the names, versions and sizes in the clear). Directories it creates above it too.
      Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
      Files.setPosixFilePermissions(directory, OWNER_ONLY);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    // Opened in this order and, on failure or close, released in the reverse order: options must
    // outlive the database that was opened with them.
    Options options = null;
    RocksDB db = null;
    WriteOptions writeOptions = null;
    try {
      options =
          new Options()
              .setCreateIfMissing(true)
              // The default, stated because correctness depends on it: recovery stops at the first
              // incomplete WAL record, so the store comes back as a prefix of whole batches.
              .setWalRecoveryMode(WALRecoveryMode.PointInTimeRecovery)
              // A replica directory lives as long as its host; the info log is for diagnosis only.
              .setKeepLogFileNum(5);
      db = RocksDB.open(options, directory.toString());
      writeOptions = new WriteOptions().setSync(true);
      checkFormat(db, writeOptions);
      LogPosition applied = ValueCodec.decodePosition(db.get(KeyLayout.APPLIED_POSITION));
      return new RocksDbReplicaStore(options, db, writeOptions, applied);
    } catch (RocksDBException | RuntimeException e) {
      closeQuietly(writeOptions);
      closeQuietly(db);
      closeQuietly(options);
      if (e instanceof RocksDBException r) {
        throw failure("open the replica store in " + directory, r);
      }
      throw (RuntimeException) e;
    }
  }

  private static void checkFormat(RocksDB db, WriteOptions writeOptions) throws RocksDBException {
    byte[] format = db.get(KeyLayout.FORMAT);
    if (format == null) {
      db.put(writeOptions, KeyLayout.FORMAT, FORMAT_V2);
    } else if (Arrays.equals(format, FORMAT_V1)) {
      migrateFromV1(db, writeOptions);
    } else if (!Arrays.equals(format, FORMAT_V2)) {
      throw new IllegalStateException(
          "the replica store has an unknown key layout " + Arrays.toString(format));
    }
  }

  /**
   * Rewrites every secret's metadata with a stage map and the new format key in one write: a crash
   * leaves layout 1 whole, and the next open migrates again. Keeping the replica (rather than
   * rebuilding it from a snapshot) keeps the host serving reads when the shard store is down.
   */
  private static void migrateFromV1(RocksDB db, WriteOptions writeOptions) throws RocksDBException {
    byte[] prefix = {KeyLayout.SECRET_META_TAG};
    try (ReadOptions readOptions = new ReadOptions();
        RocksIterator metas = db.newIterator(readOptions);
        org.rocksdb.WriteBatch rewrite = new org.rocksdb.WriteBatch()) {
      for (metas.seek(prefix);
          metas.isValid() && KeyLayout.startsWith(metas.key(), prefix);
          metas.next()) {
        rewrite.put(metas.key(), ValueCodec.encodeMeta(ValueCodec.decodeMetaV1(metas.value())));
      }
      metas.status();
      rewrite.put(KeyLayout.FORMAT, FORMAT_V2);
      db.write(writeOptions, rewrite);
    }
  }

  @Override
  public void apply(List<PositionedEvent> batch) {
    ReplicaBatches.validate(batch);
    if (batch.isEmpty()) {
      return;
    }
    synchronized (applyLock) {
      lifecycle.readLock().lock();
      try {
        requireOpen();
        LogPosition next = LogPosition.max(applied, batch.get(batch.size() - 1).position());
        // overwriteKey = true: the batch's index then holds one entry per key, which is what an
        // iterator over the batch and the database needs to show each key once.
        try (ReadOptions readOptions = new ReadOptions();
            WriteBatchWithIndex writes = new WriteBatchWithIndex(true)) {
          Pending pending = new Pending(writes, readOptions);
          for (PositionedEvent positioned : batch) {
            ReplicationEvent event = positioned.event();
            if (event instanceof VaultCreated e) {
              pending.vaultCreated(e);
            } else if (event instanceof SecretVersionPut e) {
              pending.put(e);
            } else if (event instanceof SecretStagesChanged e) {
              pending.stagesChanged(e);
            } else if (event instanceof SecretDeleted e) {
              pending.delete(e);
            }
          }
          writes.put(KeyLayout.APPLIED_POSITION, ValueCodec.encodePosition(next));
          db.write(writeOptions, writes);
        } catch (RocksDBException e) {
          throw failure("apply a batch", e);
        }
        applied = next;
      } finally {
        lifecycle.readLock().unlock();
      }
    }
  }

  /** One batch being built: reads see the database overlaid with what the batch already wrote. */
  private final class Pending {
    private final WriteBatchWithIndex writes;
    private final ReadOptions readOptions;

    Pending(WriteBatchWithIndex writes, ReadOptions readOptions) {
      this.writes = writes;
      this.readOptions = readOptions;
    }

    private byte[] get(byte[] key) throws RocksDBException {
      return writes.getFromBatchAndDB(db, readOptions, key);
    }

    void vaultCreated(VaultCreated e) throws RocksDBException {
      byte[] key = KeyLayout.vault(e.vault());
      byte[] stored = get(key);
      if (stored == null || e.entityVersion() > ValueCodec.decodeVault(stored).entityVersion()) {
        writes.put(
            key,
            ValueCodec.encodeVault(new StoredVault(e.entityVersion(), e.keys(), e.createdAt())));
      }
    }

    void put(SecretVersionPut e) throws RocksDBException {
      byte[] metaKey = KeyLayout.secret(e.vault(), e.secret());
      SecretMeta meta = ValueCodec.decodeMeta(get(metaKey));
      if (e.entityVersion() <= meta.tombstoneEntityVersion()) {
        return;
      }
      long latestVersion = meta.latestVersion();
      Instant latestCreatedAt = meta.latestCreatedAt();
      byte[] versionKey = KeyLayout.version(e.vault(), e.secret(), e.version());
      byte[] existing = get(versionKey);
      // The higher entity version wins a version number, as in the reference store.
      if (existing == null || e.entityVersion() > ValueCodec.putEntityVersion(existing)) {
        writes.put(
            versionKey,
            ValueCodec.encodeVersion(
                new StoredVersion(e.entityVersion(), e.createdAt(), e.sealed())));
        if (e.version() >= latestVersion) {
          latestVersion = e.version();
          latestCreatedAt = e.createdAt();
        }
      }
      writes.put(
          metaKey,
          ValueCodec.encodeMeta(
              new SecretMeta(
                      Math.max(meta.latestEntityVersion(), e.entityVersion()),
                      meta.tombstoneEntityVersion(),
                      latestVersion,
                      latestCreatedAt,
                      meta.stagesEntityVersion(),
                      meta.stages())
                  .withStages(e.entityVersion(), e.stages())));
    }

    void stagesChanged(SecretStagesChanged e) throws RocksDBException {
      byte[] metaKey = KeyLayout.secret(e.vault(), e.secret());
      SecretMeta meta = ValueCodec.decodeMeta(get(metaKey));
      if (e.entityVersion() <= meta.tombstoneEntityVersion()) {
        return;
      }
      writes.put(
          metaKey,
          ValueCodec.encodeMeta(
              new SecretMeta(
                      Math.max(meta.latestEntityVersion(), e.entityVersion()),
                      meta.tombstoneEntityVersion(),
                      meta.latestVersion(),
                      meta.latestCreatedAt(),
                      meta.stagesEntityVersion(),
                      meta.stages())
                  .withStages(e.entityVersion(), e.stages())));
    }

    void delete(SecretDeleted e) throws RocksDBException {
      byte[] metaKey = KeyLayout.secret(e.vault(), e.secret());
      SecretMeta meta = ValueCodec.decodeMeta(get(metaKey));
      if (e.entityVersion() <= meta.tombstoneEntityVersion()) {
        return;
      }
      byte[] prefix = KeyLayout.versionsOf(e.vault(), e.secret());
      List<byte[]> superseded = new ArrayList<>();
      long survivor = 0;
      Instant survivorCreatedAt = Instant.EPOCH;
      // Keys are collected and deleted after the sweep: changing the batch under an iterator
      // over it invalidates the iterator's current entry.
      try (RocksIterator base = db.newIterator(readOptions);
          RocksIterator versions = writes.newIteratorWithBase(base)) {
        for (versions.seek(prefix);
            versions.isValid() && KeyLayout.startsWith(versions.key(), prefix);
            versions.next()) {
          byte[] value = versions.value();
          if (ValueCodec.putEntityVersion(value) < e.entityVersion()) {
            superseded.add(versions.key());
          } else {
            // Ascending key order: the last survivor is the highest version.
            survivor = KeyLayout.versionNumber(versions.key());
            survivorCreatedAt = ValueCodec.createdAt(value);
          }
        }
        versions.status();
      }
      for (byte[] key : superseded) {
        writes.delete(key);
      }
      writes.put(
          metaKey,
          ValueCodec.encodeMeta(
              new SecretMeta(
                  Math.max(meta.latestEntityVersion(), e.entityVersion()),
                  e.entityVersion(),
                  survivor,
                  survivorCreatedAt,
                  meta.stagesEntityVersion(),
                  meta.stages())));
    }
  }

  @Override
  public LogPosition appliedPosition() {
    return applied;
  }

  @Override
  public Optional<VaultRecord> vault(VaultName vault) {
    Objects.requireNonNull(vault, "vault");
    return read(
        () -> {
          byte[] stored = db.get(KeyLayout.vault(vault));
          if (stored == null) {
            return Optional.empty();
          }
          StoredVault decoded = ValueCodec.decodeVault(stored);
          return Optional.of(new VaultRecord(vault, decoded.keys(), decoded.createdAt()));
        });
  }

  @Override
  public Optional<SecretVersionRecord> latest(VaultName vault, SecretName secret) {
    Objects.requireNonNull(vault, "vault");
    Objects.requireNonNull(secret, "secret");
    return read(
        () -> {
          // The metadata names the latest version; reading both from one snapshot means a delete
          // committed in between cannot leave us holding a number whose key is already gone.
          try (ConsistentRead consistent = new ConsistentRead()) {
            SecretMeta meta =
                ValueCodec.decodeMeta(
                    db.get(consistent.readOptions, KeyLayout.secret(vault, secret)));
            if (!meta.live()) {
              return Optional.empty();
            }
            byte[] stored =
                db.get(
                    consistent.readOptions, KeyLayout.version(vault, secret, meta.latestVersion()));
            if (stored == null) {
              throw new IllegalStateException(
                  "the replica store's metadata names a missing version");
            }
            return Optional.of(record(vault, secret, meta.latestVersion(), stored));
          }
        });
  }

  @Override
  public Optional<StageMap> stages(VaultName vault, SecretName secret) {
    Objects.requireNonNull(vault, "vault");
    Objects.requireNonNull(secret, "secret");
    return read(
        () -> {
          SecretMeta meta = ValueCodec.decodeMeta(db.get(KeyLayout.secret(vault, secret)));
          return meta.live() ? Optional.of(meta.visibleStages()) : Optional.empty();
        });
  }

  @Override
  public Optional<SecretVersionRecord> version(VaultName vault, SecretName secret, long version) {
    Objects.requireNonNull(vault, "vault");
    Objects.requireNonNull(secret, "secret");
    if (version < 1) {
      return Optional.empty();
    }
    return read(
        () -> {
          // Only live versions have keys, so one read answers.
          byte[] stored = db.get(KeyLayout.version(vault, secret, version));
          return Optional.ofNullable(stored).map(bytes -> record(vault, secret, version, bytes));
        });
  }

  @Override
  public List<SecretMetadata> list(VaultName vault, Optional<SecretName> after, int limit) {
    Objects.requireNonNull(vault, "vault");
    Objects.requireNonNull(after, "after");
    if (limit < 1 || limit > MAX_LIST_LIMIT) {
      throw new IllegalArgumentException("limit must be 1.." + MAX_LIST_LIMIT + ", was " + limit);
    }
    return read(
        () -> {
          byte[] prefix = KeyLayout.secretsOf(vault);
          byte[] start = after.map(name -> KeyLayout.secret(vault, name)).orElse(prefix);
          List<SecretMetadata> page = new ArrayList<>();
          try (ConsistentRead consistent = new ConsistentRead();
              RocksIterator secrets = db.newIterator(consistent.readOptions)) {
            secrets.seek(start);
            if (after.isPresent() && secrets.isValid() && Arrays.equals(secrets.key(), start)) {
              secrets.next();
            }
            // Tombstoned secrets keep their metadata (the tombstone must outlive the versions it
            // hides), so a page may skip over some.
            for (;
                page.size() < limit
                    && secrets.isValid()
                    && KeyLayout.startsWith(secrets.key(), prefix);
                secrets.next()) {
              SecretMeta meta = ValueCodec.decodeMeta(secrets.value());
              if (meta.live()) {
                page.add(
                    new SecretMetadata(
                        KeyLayout.secretName(secrets.key(), prefix),
                        meta.latestVersion(),
                        meta.latestCreatedAt()));
              }
            }
            secrets.status();
          }
          return List.copyOf(page);
        });
  }

  /**
   * What the store occupies on disk and in memtables, from RocksDB's own counters (no I/O); live
   * data can be less until compaction catches up.
   */
  public long approximateSizeBytes() {
    return read(
        () ->
            db.getLongProperty("rocksdb.total-sst-files-size")
                + db.getLongProperty("rocksdb.cur-size-all-mem-tables"));
  }

  private static SecretVersionRecord record(
      VaultName vault, SecretName secret, long version, byte[] stored) {
    StoredVersion decoded = ValueCodec.decodeVersion(stored);
    return new SecretVersionRecord(vault, secret, version, decoded.createdAt(), decoded.sealed());
  }

  /** Waits for running calls, then releases native handles in the reverse order of opening. */
  @Override
  public void close() {
    lifecycle.writeLock().lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      writeOptions.close();
      db.close();
      options.close();
    } finally {
      lifecycle.writeLock().unlock();
    }
  }

  @FunctionalInterface
  private interface RocksRead<T> {
    T run() throws RocksDBException;
  }

  private <T> T read(RocksRead<T> body) {
    lifecycle.readLock().lock();
    try {
      requireOpen();
      return body.run();
    } catch (RocksDBException e) {
      throw failure("read the replica store", e);
    } finally {
      lifecycle.readLock().unlock();
    }
  }

  private void requireOpen() {
    if (closed) {
      throw new IllegalStateException("the replica store is closed");
    }
  }

  /** A snapshot and the read options that pin it; closing releases both, options first. */
  private final class ConsistentRead implements AutoCloseable {
    final Snapshot snapshot;
    final ReadOptions readOptions;

    ConsistentRead() {
      snapshot = db.getSnapshot();
      ReadOptions pinned = null;
      try {
        pinned = new ReadOptions().setSnapshot(snapshot);
      } finally {
        if (pinned == null) {
          db.releaseSnapshot(snapshot);
        }
      }
      readOptions = pinned;
    }

    @Override
    public void close() {
      try {
        readOptions.close();
      } finally {
        db.releaseSnapshot(snapshot);
      }
    }
  }

  private static UncheckedIOException failure(String action, RocksDBException e) {
    return new UncheckedIOException("could not " + action, new IOException(e));
  }

  private static void closeQuietly(AutoCloseable resource) {
    if (resource == null) {
      return;
    }
    try {
      resource.close();
    } catch (Exception ignored) {
      // Already failing: the original exception is the one worth reporting.
    }
  }
}
