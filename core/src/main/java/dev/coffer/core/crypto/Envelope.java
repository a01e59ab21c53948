package dev.coffer.core.crypto;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The self-describing form of every ciphertext Coffer stores: format version, the id and version of
 * the key that produced it, the nonce, then ciphertext and tag. Knowing the key from the bytes
 * alone is what lets rotation add keys without rewriting old data.
 *
 * <pre>
 *   u8 format (=2) | u8 keyIdLength | keyId (UTF-8) | u32 keyVersion | 12-byte nonce | ciphertext+tag
 * </pre>
 *
 * The header (everything before the nonce) is part of the associated data, ahead of the caller's
 * context ({@link #associatedData}): a changed format, key id or key version fails authentication
 * rather than relying on every reader to compare it. Format 1 did not bind the header and is no
 * longer read.
 */
record Envelope(String keyId, int keyVersion, byte[] nonce, byte[] ciphertext) {
  static final int FORMAT = 2;

  Envelope {
    byte[] id = keyId.getBytes(StandardCharsets.UTF_8);
    if (id.length == 0 || id.length > 255) {
      throw new IllegalArgumentException("key ids have 1 to 255 bytes");
    }
    if (nonce.length != Aes256Gcm.NONCE_BYTES) {
      throw new IllegalArgumentException("nonces have 12 bytes");
    }
    if (keyVersion < 0) {
      throw new IllegalArgumentException("key versions are non-negative");
    }
  }

  /** The key this envelope names. */
  KeyRef key() {
    return new KeyRef(keyId, keyVersion);
  }

  /**
   * The associated data for this envelope's encryption: its header, then {@code context}. The
   * header gives its own length, so the concatenation is unambiguous.
   */
  byte[] associatedData(byte[] context) {
    byte[] id = keyId.getBytes(StandardCharsets.UTF_8);
    ByteBuffer out = ByteBuffer.allocate(6 + id.length + context.length);
    out.put((byte) FORMAT).put((byte) id.length).put(id).putInt(keyVersion).put(context);
    return out.array();
  }

  byte[] encode() {
    byte[] id = keyId.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(18 + id.length + ciphertext.length);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(FORMAT);
      out.writeByte(id.length);
      out.write(id);
      out.writeInt(keyVersion);
      out.write(nonce);
      out.write(ciphertext);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return bytes.toByteArray();
  }

  /**
   * @throws IllegalArgumentException when the bytes are not an envelope of a known format
   */
  static Envelope decode(byte[] encoded) {
    try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(encoded))) {
      int format = in.readUnsignedByte();
      if (format != FORMAT) {
        throw new IllegalArgumentException("unknown envelope format " + format);
      }
      byte[] id = new byte[in.readUnsignedByte()];
      in.readFully(id);
      int keyVersion = in.readInt();
      byte[] nonce = new byte[Aes256Gcm.NONCE_BYTES];
      in.readFully(nonce);
      byte[] ciphertext = in.readAllBytes();
      if (ciphertext.length < Aes256Gcm.TAG_BITS / 8) {
        throw new IllegalArgumentException("envelope too short");
      }
      return new Envelope(keyId(id), keyVersion, nonce, ciphertext);
    } catch (IOException e) {
      throw new IllegalArgumentException("truncated envelope", e);
    }
  }

  /**
   * Strict: malformed UTF-8 is rejected rather than replaced, so that every envelope has exactly
   * one encoding and a changed key id byte cannot decode to the same key id.
   */
  private static String keyId(byte[] id) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(id))
          .toString();
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("the key id is not UTF-8", e);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Envelope e
        && keyId.equals(e.keyId)
        && keyVersion == e.keyVersion
        && Arrays.equals(nonce, e.nonce)
        && Arrays.equals(ciphertext, e.ciphertext);
  }

  @Override
  public int hashCode() {
    return keyId.hashCode() * 31 + keyVersion;
  }

  @Override
  public String toString() {
    return "Envelope[key=" + keyId + "/" + keyVersion + ", " + ciphertext.length + " bytes]";
  }
}
