package dev.coffer.core.crypto.sharing;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * One custodian's share of a secret, self-describing so that a wrong, mixed or damaged share is
 * named as such instead of silently producing a wrong secret. Text form: {@code coffer-share-v1.}
 * followed by unpadded base64url of
 *
 * <pre>
 *   u8 format (=1) | 16-byte set id | u8 threshold | u8 shares | u8 index (x, 1..255)
 *   | 16-byte secret check | u16 length | value[length] | 8-byte checksum
 * </pre>
 *
 * The set id is random per split and tells shares of different splits apart. The secret check is
 * SHA-256 over the set id and the secret (truncated): it confirms a reconstruction, and assumes a
 * high-entropy secret such as a key. The checksum is SHA-256 over everything before it (truncated)
 * and catches a share that was mistyped or cut short.
 */
public final class SecretShare {
  static final String PREFIX = "coffer-share-v1.";
  static final int FORMAT = 1;
  static final int SET_ID_BYTES = 16;
  static final int CHECK_BYTES = 16;
  private static final int CHECKSUM_BYTES = 8;
  private static final int MAX_VALUE_BYTES = 0xffff;

  private final byte[] setId;
  private final int threshold;
  private final int shares;
  private final int index;
  private final byte[] secretCheck;
  private final byte[] value;

  SecretShare(
      byte[] setId, int threshold, int shares, int index, byte[] secretCheck, byte[] value) {
    if (setId.length != SET_ID_BYTES || secretCheck.length != CHECK_BYTES) {
      throw new IllegalArgumentException("bad set id or secret check length");
    }
    if (threshold < 2 || threshold > shares || shares > Shamir.MAX_SHARES) {
      throw new IllegalArgumentException("bad threshold or share count");
    }
    if (index < 1 || index > shares) {
      throw new IllegalArgumentException("bad share index");
    }
    if (value.length > MAX_VALUE_BYTES) {
      throw new IllegalArgumentException("shares hold at most " + MAX_VALUE_BYTES + " bytes");
    }
    this.setId = setId.clone();
    this.threshold = threshold;
    this.shares = shares;
    this.index = index;
    this.secretCheck = secretCheck.clone();
    this.value = value.clone();
  }

  /** Which share of its set this is, from 1 to {@link #shares()}. */
  public int index() {
    return index;
  }

  /** How many shares of the set are needed to reconstruct the secret. */
  public int threshold() {
    return threshold;
  }

  /** How many shares the set was split into. */
  public int shares() {
    return shares;
  }

  /** The set identifier in hex, for telling custodians' shares apart. */
  public String setId() {
    return HexFormat.of().formatHex(setId);
  }

  byte[] setIdBytes() {
    return setId.clone();
  }

  byte[] secretCheck() {
    return secretCheck.clone();
  }

  byte[] value() {
    return value.clone();
  }

  public String encode() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + value.length);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(FORMAT);
      out.write(setId);
      out.writeByte(threshold);
      out.writeByte(shares);
      out.writeByte(index);
      out.write(secretCheck);
      out.writeShort(value.length);
      out.write(value);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    byte[] body = bytes.toByteArray();
    byte[] checksum = checksum(body, body.length);
    byte[] all = Arrays.copyOf(body, body.length + CHECKSUM_BYTES);
    System.arraycopy(checksum, 0, all, body.length, CHECKSUM_BYTES);
    String text = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(all);
    Arrays.fill(body, (byte) 0);
    Arrays.fill(all, (byte) 0);
    return text;
  }

  /**
   * @throws InvalidShareException when the text is not a share or is damaged
   */
  public static SecretShare decode(String text) {
    String trimmed = text == null ? "" : text.strip();
    if (!trimmed.startsWith(PREFIX)) {
      throw new InvalidShareException(
          "This is not a Coffer share: shares start with '" + PREFIX + "'.");
    }
    String encoded = trimmed.substring(PREFIX.length());
    byte[] all;
    try {
      all = Base64.getUrlDecoder().decode(encoded);
    } catch (IllegalArgumentException e) {
      throw new InvalidShareException(
          "The share is damaged: it contains characters that base64url does not use.");
    }
    try {
      // The decoder ignores the unused low bits of the last character; a share has one spelling.
      if (!Base64.getUrlEncoder().withoutPadding().encodeToString(all).equals(encoded)) {
        throw new InvalidShareException("The share is damaged: its last character is wrong.");
      }
      int minimum = 1 + SET_ID_BYTES + 3 + CHECK_BYTES + 2 + CHECKSUM_BYTES;
      if (all.length < minimum) {
        throw new InvalidShareException("The share is damaged: it is too short.");
      }
      int bodyLength = all.length - CHECKSUM_BYTES;
      byte[] expected = checksum(all, bodyLength);
      if (!MessageDigest.isEqual(expected, Arrays.copyOfRange(all, bodyLength, all.length))) {
        throw new InvalidShareException(
            "The share is damaged: its checksum does not match (was it copied completely?).");
      }
      try (DataInputStream in =
          new DataInputStream(new java.io.ByteArrayInputStream(all, 0, bodyLength))) {
        int format = in.readUnsignedByte();
        if (format != FORMAT) {
          throw new InvalidShareException("The share has an unknown format (" + format + ").");
        }
        byte[] setId = in.readNBytes(SET_ID_BYTES);
        int threshold = in.readUnsignedByte();
        int shares = in.readUnsignedByte();
        int index = in.readUnsignedByte();
        byte[] check = in.readNBytes(CHECK_BYTES);
        int length = in.readUnsignedShort();
        byte[] value = in.readNBytes(length);
        if (value.length != length || in.available() != 0) {
          throw new InvalidShareException("The share is damaged: its length does not match.");
        }
        try {
          return new SecretShare(setId, threshold, shares, index, check, value);
        } catch (IllegalArgumentException e) {
          throw new InvalidShareException(
              "The share is damaged: its index, threshold or share count is out of range.");
        } finally {
          Arrays.fill(value, (byte) 0);
        }
      } catch (IOException e) {
        throw new InvalidShareException("The share is damaged: it is too short.");
      }
    } finally {
      Arrays.fill(all, (byte) 0);
    }
  }

  private static byte[] checksum(byte[] bytes, int length) {
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      sha256.update("coffer/share-checksum/v1".getBytes(java.nio.charset.StandardCharsets.UTF_8));
      sha256.update(bytes, 0, length);
      return Arrays.copyOf(sha256.digest(), CHECKSUM_BYTES);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  /** Wipes the share value held by this object. */
  void destroy() {
    Arrays.fill(value, (byte) 0);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SecretShare s
        && index == s.index
        && threshold == s.threshold
        && shares == s.shares
        && Arrays.equals(setId, s.setId)
        && Arrays.equals(secretCheck, s.secretCheck)
        && MessageDigest.isEqual(value, s.value);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(setId) * 31 + index;
  }

  /** Says which share it is; never its value. */
  @Override
  public String toString() {
    return "share " + index + " of " + shares + " (" + threshold + " needed), set " + setId();
  }
}
