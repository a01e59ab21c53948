package dev.coffer.core.crypto;

import dev.coffer.core.model.VaultName;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The stored form of one vault key version ({@link WrappedVaultKey#bytes()}): the version, then the
 * same key wrapped independently by each root key provider and by the recovery key.
 *
 * <pre>
 *   u8 format (=2) | u32 vault key version | u8 count
 *   | count x ( u8 kind (1 root key, 2 recovery key) | u8 idLength | key id (UTF-8)
 *               | u32 key version | u16 length | wrapped bytes )
 * </pre>
 *
 * Every wrapping binds {@link #context} (vault and vault key version) as associated data, so a
 * bundle copied to another vault or relabelled with another version does not unwrap. Format 1 was a
 * single root envelope and is not read.
 */
record VaultKeyBundle(int version, List<Wrapping> wrappings) {
  static final int FORMAT = 2;

  enum Kind {
    ROOT(1),
    RECOVERY(2);

    final int code;

    Kind(int code) {
      this.code = code;
    }

    static Kind of(int code) {
      for (Kind kind : values()) {
        if (kind.code == code) {
          return kind;
        }
      }
      throw new IllegalArgumentException("unknown wrapping kind " + code);
    }
  }

  record Wrapping(Kind kind, RootWrapping wrapping) {}

  VaultKeyBundle {
    if (version < 1) {
      throw new IllegalArgumentException("vault key versions start at 1");
    }
    if (wrappings.isEmpty() || wrappings.size() > 255) {
      throw new IllegalArgumentException("a vault key has 1 to 255 wrappings");
    }
    wrappings = List.copyOf(wrappings);
  }

  /** The associated data of every wrapping of version {@code version} of {@code vault}'s key. */
  static byte[] context(VaultName vault, int version) {
    // Vault names cannot contain '/', so this encoding is unambiguous.
    return ("coffer/v2/vault-key/" + vault.value() + "/" + version)
        .getBytes(StandardCharsets.UTF_8);
  }

  byte[] encode() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(FORMAT);
      out.writeInt(version);
      out.writeByte(wrappings.size());
      for (Wrapping w : wrappings) {
        byte[] id = w.wrapping().rootKey().id().getBytes(StandardCharsets.UTF_8);
        byte[] wrapped = w.wrapping().bytes();
        if (wrapped.length > 0xffff) {
          throw new IllegalArgumentException("a wrapping has at most 65535 bytes");
        }
        out.writeByte(w.kind().code);
        out.writeByte(id.length);
        out.write(id);
        out.writeInt(w.wrapping().rootKey().version());
        out.writeShort(wrapped.length);
        out.write(wrapped);
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return bytes.toByteArray();
  }

  /**
   * @throws IllegalArgumentException when the bytes are not a bundle of a known format
   */
  static VaultKeyBundle decode(byte[] encoded) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(encoded))) {
      int format = in.readUnsignedByte();
      if (format != FORMAT) {
        throw new IllegalArgumentException("unknown vault key format " + format);
      }
      int version = in.readInt();
      int count = in.readUnsignedByte();
      List<Wrapping> wrappings = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        Kind kind = Kind.of(in.readUnsignedByte());
        byte[] id = new byte[in.readUnsignedByte()];
        in.readFully(id);
        int keyVersion = in.readInt();
        byte[] wrapped = new byte[in.readUnsignedShort()];
        in.readFully(wrapped);
        wrappings.add(
            new Wrapping(
                kind,
                new RootWrapping(
                    new KeyRef(new String(id, StandardCharsets.UTF_8), keyVersion), wrapped)));
      }
      if (in.available() != 0) {
        throw new IllegalArgumentException("trailing bytes after the vault key");
      }
      return new VaultKeyBundle(version, wrappings);
    } catch (IOException e) {
      throw new IllegalArgumentException("truncated vault key", e);
    }
  }
}
