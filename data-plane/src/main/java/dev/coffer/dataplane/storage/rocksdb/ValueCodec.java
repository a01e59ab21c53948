package dev.coffer.dataplane.storage.rocksdb;

import dev.coffer.core.crypto.SealedSecret;
import dev.coffer.core.crypto.VaultKeyRing;
import dev.coffer.core.model.LogPosition;
import dev.coffer.core.model.StageMap;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.time.Instant;

/**
 * The replica's values, as fixed-width big-endian fields with the one variable-length field last
 * (or length-prefixed), so there is nothing to parse but offsets. Layout changes go through the
 * format key in {@link KeyLayout}, not per-value tags. Secret material is stored only as the sealed
 * bytes the shard replicated.
 */
final class ValueCodec {
  private static final int INSTANT_BYTES = 12;

  private ValueCodec() {}

  /** A vault as stored: the entity version decides which of two records wins. */
  record StoredVault(long entityVersion, VaultKeyRing keys, Instant createdAt) {}

  /**
   * A secret's bookkeeping. {@code latestVersion} is 0 when no version is live; it and {@code
   * latestCreatedAt} duplicate the highest version key so that listing reads one key per secret.
   * {@code stages} is the map of the highest entity version that carried one ({@code
   * stagesEntityVersion}); a tombstone at least as new hides it (see {@link #visibleStages}).
   */
  record SecretMeta(
      long latestEntityVersion,
      long tombstoneEntityVersion,
      long latestVersion,
      Instant latestCreatedAt,
      long stagesEntityVersion,
      StageMap stages) {
    static final SecretMeta NONE = new SecretMeta(0, 0, 0, Instant.EPOCH, 0, StageMap.NONE);

    boolean live() {
      return latestVersion > 0;
    }

    StageMap visibleStages() {
      return stagesEntityVersion > tombstoneEntityVersion ? stages : StageMap.NONE;
    }

    /** This metadata with {@code stages} when they are newer than the ones it holds. */
    SecretMeta withStages(long entityVersion, StageMap newer) {
      if (entityVersion <= stagesEntityVersion) {
        return this;
      }
      return new SecretMeta(
          latestEntityVersion,
          tombstoneEntityVersion,
          latestVersion,
          latestCreatedAt,
          entityVersion,
          newer);
    }
  }

  /**
   * One live version, with the entity version of the put that wrote it (a tombstone compares it).
   */
  record StoredVersion(long putEntityVersion, Instant createdAt, SealedSecret sealed) {}

  static byte[] encodeVault(StoredVault vault) {
    // A vault stored before rotation holds a single wrapped key here, which decodes as a ring.
    byte[] key = vault.keys().encode();
    ByteBuffer out = ByteBuffer.allocate(8 + INSTANT_BYTES + key.length);
    out.putLong(vault.entityVersion());
    putInstant(out, vault.createdAt());
    out.put(key);
    return out.array();
  }

  static StoredVault decodeVault(byte[] bytes) {
    try {
      ByteBuffer in = ByteBuffer.wrap(bytes);
      long entityVersion = in.getLong();
      Instant createdAt = getInstant(in);
      return new StoredVault(entityVersion, VaultKeyRing.decode(rest(in)), createdAt);
    } catch (BufferUnderflowException e) {
      throw corrupt("vault", e);
    }
  }

  static byte[] encodeMeta(SecretMeta meta) {
    ByteBuffer out = ByteBuffer.allocate(7 * 8 + INSTANT_BYTES);
    out.putLong(meta.latestEntityVersion());
    out.putLong(meta.tombstoneEntityVersion());
    out.putLong(meta.latestVersion());
    putInstant(out, meta.latestCreatedAt());
    out.putLong(meta.stagesEntityVersion());
    out.putLong(meta.stages().current());
    out.putLong(meta.stages().previous());
    out.putLong(meta.stages().pending());
    return out.array();
  }

  /** Absent metadata (a secret never seen) reads as {@link SecretMeta#NONE}. */
  static SecretMeta decodeMeta(byte[] bytes) {
    if (bytes == null) {
      return SecretMeta.NONE;
    }
    try {
      ByteBuffer in = ByteBuffer.wrap(bytes);
      SecretMeta meta =
          new SecretMeta(
              in.getLong(),
              in.getLong(),
              in.getLong(),
              getInstant(in),
              in.getLong(),
              new StageMap(in.getLong(), in.getLong(), in.getLong()));
      requireConsumed(in, "secret metadata");
      return meta;
    } catch (BufferUnderflowException | IllegalArgumentException e) {
      throw corrupt("secret metadata", e);
    }
  }

  /**
   * Metadata of key layout 1, before stages: its latest live version was the one reads returned,
   * and nothing was PREVIOUS, which is what put events of that era mean too (see the event codec).
   */
  static SecretMeta decodeMetaV1(byte[] bytes) {
    try {
      ByteBuffer in = ByteBuffer.wrap(bytes);
      long latestEntityVersion = in.getLong();
      long tombstoneEntityVersion = in.getLong();
      long latestVersion = in.getLong();
      Instant latestCreatedAt = getInstant(in);
      requireConsumed(in, "secret metadata");
      boolean live = latestVersion > 0;
      return new SecretMeta(
          latestEntityVersion,
          tombstoneEntityVersion,
          latestVersion,
          latestCreatedAt,
          live ? latestEntityVersion : 0,
          live ? new StageMap(latestVersion, 0, 0) : StageMap.NONE);
    } catch (BufferUnderflowException | IllegalArgumentException e) {
      throw corrupt("secret metadata", e);
    }
  }

  static byte[] encodeVersion(StoredVersion version) {
    byte[] wrappedDataKey = version.sealed().wrappedDataKey();
    byte[] ciphertext = version.sealed().ciphertext();
    ByteBuffer out =
        ByteBuffer.allocate(8 + INSTANT_BYTES + 4 + wrappedDataKey.length + ciphertext.length);
    out.putLong(version.putEntityVersion());
    putInstant(out, version.createdAt());
    out.putInt(wrappedDataKey.length);
    out.put(wrappedDataKey);
    out.put(ciphertext);
    return out.array();
  }

  static StoredVersion decodeVersion(byte[] bytes) {
    try {
      ByteBuffer in = ByteBuffer.wrap(bytes);
      long putEntityVersion = in.getLong();
      Instant createdAt = getInstant(in);
      int wrappedLength = in.getInt();
      if (wrappedLength < 0 || wrappedLength > in.remaining()) {
        throw corrupt("secret version", null);
      }
      byte[] wrappedDataKey = new byte[wrappedLength];
      in.get(wrappedDataKey);
      return new StoredVersion(
          putEntityVersion, createdAt, new SealedSecret(wrappedDataKey, rest(in)));
    } catch (BufferUnderflowException e) {
      throw corrupt("secret version", e);
    }
  }

  /** Only the entity version, for the tombstone sweep, which must not copy every ciphertext. */
  static long putEntityVersion(byte[] storedVersion) {
    if (storedVersion.length < 8) {
      throw corrupt("secret version", null);
    }
    return ByteBuffer.wrap(storedVersion).getLong();
  }

  static Instant createdAt(byte[] storedVersion) {
    try {
      return getInstant(ByteBuffer.wrap(storedVersion, 8, INSTANT_BYTES));
    } catch (IndexOutOfBoundsException | BufferUnderflowException e) {
      throw corrupt("secret version", e);
    }
  }

  static byte[] encodePosition(LogPosition position) {
    return ByteBuffer.allocate(16).putLong(position.txId()).putLong(position.seq()).array();
  }

  static LogPosition decodePosition(byte[] bytes) {
    if (bytes == null) {
      return LogPosition.ZERO;
    }
    try {
      ByteBuffer in = ByteBuffer.wrap(bytes);
      LogPosition position = new LogPosition(in.getLong(), in.getLong());
      requireConsumed(in, "applied position");
      return position;
    } catch (BufferUnderflowException | IllegalArgumentException e) {
      throw corrupt("applied position", e);
    }
  }

  private static void putInstant(ByteBuffer out, Instant instant) {
    out.putLong(instant.getEpochSecond());
    out.putInt(instant.getNano());
  }

  private static Instant getInstant(ByteBuffer in) {
    long seconds = in.getLong();
    int nanos = in.getInt();
    try {
      return Instant.ofEpochSecond(seconds, nanos);
    } catch (RuntimeException e) {
      throw corrupt("timestamp", e);
    }
  }

  private static byte[] rest(ByteBuffer in) {
    byte[] rest = new byte[in.remaining()];
    in.get(rest);
    return rest;
  }

  private static void requireConsumed(ByteBuffer in, String what) {
    if (in.hasRemaining()) {
      throw corrupt(what, null);
    }
  }

  private static IllegalStateException corrupt(String what, Throwable cause) {
    return new IllegalStateException("corrupt " + what + " in the replica store", cause);
  }
}
