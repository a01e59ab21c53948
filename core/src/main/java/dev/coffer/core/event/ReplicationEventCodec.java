package dev.coffer.core.event;

import dev.coffer.core.crypto.SealedSecret;
import dev.coffer.core.crypto.VaultKeyRing;
import dev.coffer.core.error.CofferException;
import dev.coffer.core.model.SecretName;
import dev.coffer.core.model.StageMap;
import dev.coffer.core.model.VaultName;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.time.Instant;

/**
 * Binary form of replication events, used both in the shard's log and in the replica store. A
 * leading format byte leaves room to evolve; unknown formats and kinds are rejected, never guessed
 * at.
 *
 * <p>Puts are written as {@code SECRET_VERSION_STAGED_PUT}, which carries the stage map. The older
 * {@code SECRET_VERSION_PUT} kind, written before stages existed, still decodes: every put then
 * made its version CURRENT, and nothing else was staged. A host that predates stages rejects the
 * new kinds instead of misreading them, so hosts are upgraded before the control plane.
 */
public final class ReplicationEventCodec {
  private static final int FORMAT_V1 = 1;
  private static final int VAULT_CREATED = 1;
  private static final int SECRET_VERSION_PUT = 2;
  private static final int SECRET_DELETED = 3;
  private static final int SECRET_VERSION_STAGED_PUT = 4;
  private static final int SECRET_STAGES_CHANGED = 5;

  private ReplicationEventCodec() {}

  private static VaultKeyRing keyRing(byte[] encoded) {
    try {
      return VaultKeyRing.decode(encoded);
    } catch (CofferException e) {
      throw new IllegalArgumentException("the event's vault key ring is corrupt", e);
    }
  }

  public static byte[] encode(ReplicationEvent event) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(FORMAT_V1);
      if (event instanceof VaultCreated e) {
        out.writeByte(VAULT_CREATED);
        out.writeUTF(e.vault().value());
        out.writeLong(e.entityVersion());
        writeBytes(out, e.keys().encode());
        writeInstant(out, e.createdAt());
      } else if (event instanceof SecretVersionPut e) {
        out.writeByte(SECRET_VERSION_STAGED_PUT);
        writePutFields(out, e);
        writeStages(out, e.stages());
      } else if (event instanceof SecretStagesChanged e) {
        out.writeByte(SECRET_STAGES_CHANGED);
        out.writeUTF(e.vault().value());
        out.writeUTF(e.secret().value());
        out.writeLong(e.entityVersion());
        writeStages(out, e.stages());
        writeInstant(out, e.changedAt());
      } else if (event instanceof SecretDeleted e) {
        out.writeByte(SECRET_DELETED);
        out.writeUTF(e.vault().value());
        out.writeUTF(e.secret().value());
        out.writeLong(e.entityVersion());
        writeInstant(out, e.deletedAt());
      } else {
        throw new IllegalArgumentException("unknown event type");
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return bytes.toByteArray();
  }

  /**
   * @throws IllegalArgumentException when the bytes are not a complete event of a known format
   */
  public static ReplicationEvent decode(byte[] encoded) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(encoded))) {
      int format = in.readUnsignedByte();
      if (format != FORMAT_V1) {
        throw new IllegalArgumentException("unknown event format " + format);
      }
      int kind = in.readUnsignedByte();
      ReplicationEvent event =
          switch (kind) {
            case VAULT_CREATED ->
                new VaultCreated(
                    VaultName.of(in.readUTF()),
                    in.readLong(),
                    keyRing(readBytes(in)),
                    readInstant(in));
            case SECRET_VERSION_PUT ->
                new SecretVersionPut(
                    VaultName.of(in.readUTF()),
                    SecretName.of(in.readUTF()),
                    in.readLong(),
                    in.readLong(),
                    readInstant(in),
                    new SealedSecret(readBytes(in), readBytes(in)));
            case SECRET_VERSION_STAGED_PUT ->
                new SecretVersionPut(
                    VaultName.of(in.readUTF()),
                    SecretName.of(in.readUTF()),
                    in.readLong(),
                    in.readLong(),
                    readInstant(in),
                    new SealedSecret(readBytes(in), readBytes(in)),
                    readStages(in));
            case SECRET_STAGES_CHANGED ->
                new SecretStagesChanged(
                    VaultName.of(in.readUTF()),
                    SecretName.of(in.readUTF()),
                    in.readLong(),
                    readStages(in),
                    readInstant(in));
            case SECRET_DELETED ->
                new SecretDeleted(
                    VaultName.of(in.readUTF()),
                    SecretName.of(in.readUTF()),
                    in.readLong(),
                    readInstant(in));
            default -> throw new IllegalArgumentException("unknown event kind " + kind);
          };
      if (in.read() != -1) {
        throw new IllegalArgumentException("trailing bytes after event");
      }
      return event;
    } catch (IOException e) {
      throw new IllegalArgumentException("truncated event", e);
    } catch (RuntimeException e) {
      if (e instanceof IllegalArgumentException) {
        throw e;
      }
      throw new IllegalArgumentException("invalid event", e);
    }
  }

  /**
   * The old put encoding, kept so that tests can show it still decodes; nothing writes it any more.
   */
  static byte[] encodeLegacyPut(SecretVersionPut e) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(FORMAT_V1);
      out.writeByte(SECRET_VERSION_PUT);
      writePutFields(out, e);
    } catch (IOException ex) {
      throw new IllegalStateException(ex);
    }
    return bytes.toByteArray();
  }

  /** A put's fields in both encodings; the staged one appends the stage map. */
  private static void writePutFields(DataOutputStream out, SecretVersionPut e) throws IOException {
    out.writeUTF(e.vault().value());
    out.writeUTF(e.secret().value());
    out.writeLong(e.entityVersion());
    out.writeLong(e.version());
    writeInstant(out, e.createdAt());
    writeBytes(out, e.sealed().wrappedDataKey());
    writeBytes(out, e.sealed().ciphertext());
  }

  private static void writeStages(DataOutputStream out, StageMap stages) throws IOException {
    out.writeLong(stages.current());
    out.writeLong(stages.previous());
    out.writeLong(stages.pending());
  }

  private static StageMap readStages(DataInputStream in) throws IOException {
    return new StageMap(in.readLong(), in.readLong(), in.readLong());
  }

  private static void writeBytes(DataOutputStream out, byte[] bytes) throws IOException {
    out.writeInt(bytes.length);
    out.write(bytes);
  }

  private static byte[] readBytes(DataInputStream in) throws IOException {
    int length = in.readInt();
    if (length < 0 || length > in.available()) {
      throw new IllegalArgumentException("invalid length");
    }
    byte[] bytes = new byte[length];
    in.readFully(bytes);
    return bytes;
  }

  private static void writeInstant(DataOutputStream out, Instant instant) throws IOException {
    out.writeLong(instant.getEpochSecond());
    out.writeInt(instant.getNano());
  }

  private static Instant readInstant(DataInputStream in) throws IOException {
    return Instant.ofEpochSecond(in.readLong(), in.readInt());
  }
}
