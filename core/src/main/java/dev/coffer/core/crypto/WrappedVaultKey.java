package dev.coffer.core.crypto;

import java.util.Arrays;

/** A vault key as stored and replicated: wrapped by a root key, useless without it. */
public record WrappedVaultKey(byte[] bytes) {
  public WrappedVaultKey {
    bytes = bytes.clone();
  }

  @Override
  public byte[] bytes() {
    return bytes.clone();
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
