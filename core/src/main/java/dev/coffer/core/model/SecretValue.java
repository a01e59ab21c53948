package dev.coffer.core.model;

import dev.coffer.core.error.CofferException;
import dev.coffer.core.error.ErrorCode;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * A plaintext secret value. It never prints itself, compares in constant time, and can be wiped.
 * The 64 KiB limit is Google Secret Manager's: large enough for certificates and key bundles, small
 * enough that every host can keep every version.
 */
public final class SecretValue implements AutoCloseable {
  public static final int MAX_BYTES = 64 * 1024;

  private final byte[] bytes;

  private SecretValue(byte[] bytes) {
    this.bytes = bytes;
  }

  /** Takes ownership of {@code bytes}; the caller must not reuse the array. */
  public static SecretValue ofBytes(byte[] bytes) {
    if (bytes == null || bytes.length == 0) {
      throw new CofferException(
          ErrorCode.INVALID_SECRET_VALUE, "The secret value must not be empty.");
    }
    if (bytes.length > MAX_BYTES) {
      throw new CofferException(
          ErrorCode.SECRET_VALUE_TOO_LARGE,
          "The secret value has "
              + bytes.length
              + " bytes; the limit is "
              + MAX_BYTES
              + " bytes (64 KiB).");
    }
    return new SecretValue(bytes);
  }

  /**
   * The UTF-8 encoding of {@code text}, which must be well-formed UTF-16. An unpaired surrogate
   * (which a JSON string can carry as an escape) has no UTF-8 encoding; {@link String#getBytes}
   * would store it as {@code ?}, so it is refused rather than altered.
   */
  @SuppressWarnings("ByteBufferBackingArray") // the encoder allocated it: the whole array is ours
  public static SecretValue ofUtf8(String text) {
    if (text == null) {
      throw new CofferException(ErrorCode.INVALID_SECRET_VALUE, "The secret value is missing.");
    }
    ByteBuffer encoded;
    try {
      encoded =
          StandardCharsets.UTF_8
              .newEncoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .encode(CharBuffer.wrap(text));
    } catch (CharacterCodingException e) {
      throw new CofferException(
          ErrorCode.INVALID_SECRET_VALUE,
          "The secret value is not valid Unicode text: it holds an unpaired UTF-16 surrogate"
              + " (U+D800 to U+DFFF), which cannot be stored as UTF-8.");
    }
    byte[] bytes = new byte[encoded.remaining()];
    encoded.get(bytes);
    if (encoded.hasArray()) {
      Arrays.fill(encoded.array(), (byte) 0);
    }
    return ofBytes(bytes);
  }

  /** A copy of the plaintext; the caller should wipe it when done. */
  public byte[] copyBytes() {
    return bytes.clone();
  }

  public int length() {
    return bytes.length;
  }

  /** The value as text, or empty when the bytes are not valid UTF-8. */
  public java.util.Optional<String> asUtf8() {
    try {
      CharBuffer chars =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes));
      return java.util.Optional.of(chars.toString());
    } catch (CharacterCodingException e) {
      return java.util.Optional.empty();
    }
  }

  /** Overwrites the plaintext in memory. */
  @Override
  public void close() {
    Arrays.fill(bytes, (byte) 0);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SecretValue other && MessageDigest.isEqual(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return bytes.length;
  }

  @Override
  public String toString() {
    return "SecretValue[REDACTED, " + bytes.length + " bytes]";
  }
}
