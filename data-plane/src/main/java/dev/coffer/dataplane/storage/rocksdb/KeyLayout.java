package dev.coffer.dataplane.storage.rocksdb;

import dev.coffer.core.model.SecretName;
import dev.coffer.core.model.VaultName;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The replica's keys. RocksDB's default comparator orders keys as unsigned bytes, and every part
 * below is chosen so that this byte order is the order reads need:
 *
 * <pre>
 *   0x00                                            layout format    (value: one byte, 2)
 *   0x01 vault                                      vault record
 *   0x02 vault 0x00 secret                          secret metadata
 *   0x03 vault 0x00 secret 0x00 version(8, BE)      one live version
 *   0x04                                            applied position
 * </pre>
 *
 * <p>Layout 1 had the same keys; its secret metadata had no stage map, and opening such a replica
 * rewrites each secret's metadata (see {@code RocksDbReplicaStore}).
 *
 * <p>Names are their ASCII bytes. Neither vault nor secret names can contain 0x00, so the 0x00
 * after a name ends it unambiguously: the prefix for vault "a" ({@code 02 61 00}) can never match a
 * key of vault "a-b" ({@code 02 61 2d ...}), and the versions prefix of secret "x" ({@code ... 78
 * 00}) never matches those of "x.y". The same terminator keeps name order: a name sorts before
 * every name it is a proper prefix of, as {@link String#compareTo} does. Version numbers are at
 * least 1, so their big-endian bytes sort numerically and the last key under a secret's versions
 * prefix is its highest version.
 */
final class KeyLayout {
  static final byte[] FORMAT = {0x00};
  static final byte[] APPLIED_POSITION = {0x04};
  private static final byte VAULT = 0x01;

  /** The first byte of every secret metadata key. */
  static final byte SECRET_META_TAG = 0x02;

  private static final byte SECRET_META = SECRET_META_TAG;
  private static final byte VERSION = 0x03;
  private static final byte END_OF_NAME = 0x00;

  private KeyLayout() {}

  static byte[] vault(VaultName vault) {
    ByteArrayOutputStream key = new ByteArrayOutputStream(1 + vault.value().length());
    key.write(VAULT);
    key.writeBytes(ascii(vault.value()));
    return key.toByteArray();
  }

  /** The prefix of every secret metadata key of a vault. */
  static byte[] secretsOf(VaultName vault) {
    ByteArrayOutputStream key = new ByteArrayOutputStream(2 + vault.value().length());
    key.write(SECRET_META);
    key.writeBytes(ascii(vault.value()));
    key.write(END_OF_NAME);
    return key.toByteArray();
  }

  static byte[] secret(VaultName vault, SecretName secret) {
    return concat(secretsOf(vault), ascii(secret.value()));
  }

  /** The secret name of a key that starts with {@code secretsOf(vault)}. */
  static SecretName secretName(byte[] key, byte[] secretsOfVault) {
    return SecretName.of(
        new String(
            key,
            secretsOfVault.length,
            key.length - secretsOfVault.length,
            StandardCharsets.US_ASCII));
  }

  /** The prefix of every version key of one secret. */
  static byte[] versionsOf(VaultName vault, SecretName secret) {
    ByteArrayOutputStream key =
        new ByteArrayOutputStream(3 + vault.value().length() + secret.value().length());
    key.write(VERSION);
    key.writeBytes(ascii(vault.value()));
    key.write(END_OF_NAME);
    key.writeBytes(ascii(secret.value()));
    key.write(END_OF_NAME);
    return key.toByteArray();
  }

  static byte[] version(VaultName vault, SecretName secret, long version) {
    return concat(versionsOf(vault, secret), ByteBuffer.allocate(8).putLong(version).array());
  }

  /** The version number of a key that starts with a {@link #versionsOf} prefix. */
  static long versionNumber(byte[] key) {
    return ByteBuffer.wrap(key, key.length - 8, 8).getLong();
  }

  static boolean startsWith(byte[] key, byte[] prefix) {
    return key.length >= prefix.length
        && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
  }

  private static byte[] ascii(String name) {
    return name.getBytes(StandardCharsets.US_ASCII);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] joined = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, joined, a.length, b.length);
    return joined;
  }
}
