package dev.coffer.core.crypto;

import dev.coffer.core.error.CofferException;
import dev.coffer.core.error.ErrorCode;
import java.util.Arrays;
import java.util.List;

/**
 * One version of a vault key as stored and replicated: wrapped by every root key provider and by
 * the recovery key, useless without one of them. Storage treats the bytes as opaque.
 */
public record WrappedVaultKey(byte[] bytes) {
  public WrappedVaultKey {
    bytes = bytes.clone();
  }

  @Override
  public byte[] bytes() {
    return bytes.clone();
  }

  /**
   * The vault key version these bytes hold.
   *
   * @throws CofferException DECRYPTION_FAILED when the bytes are not a wrapped vault key
   */
  public int version() {
    return bundle().version();
  }

  /** The keys that wrapped this vault key: root keys and the recovery key. */
  public List<KeyRef> wrappedBy() {
    return bundle().wrappings().stream().map(w -> w.wrapping().rootKey()).toList();
  }

  VaultKeyBundle bundle() {
    try {
      return VaultKeyBundle.decode(bytes);
    } catch (IllegalArgumentException e) {
      throw new CofferException(ErrorCode.DECRYPTION_FAILED, "A stored vault key is corrupt.", e);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof WrappedVaultKey w && Arrays.equals(bytes, w.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return "WrappedVaultKey[" + bytes.length + " bytes]";
  }
}
