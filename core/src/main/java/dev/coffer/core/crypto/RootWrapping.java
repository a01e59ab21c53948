package dev.coffer.core.crypto;

import java.util.Arrays;

/**
 * A vault key wrapped by one root key: which key and version wrapped it, and the provider's bytes
 * (opaque here, so that a cloud KMS can return its own ciphertext format).
 */
public record RootWrapping(KeyRef rootKey, byte[] bytes) {
  public RootWrapping {
    bytes = bytes.clone();
  }

  @Override
  public byte[] bytes() {
    return bytes.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RootWrapping w
        && rootKey.equals(w.rootKey)
        && Arrays.equals(bytes, w.bytes);
  }

  @Override
  public int hashCode() {
    return rootKey.hashCode() * 31 + Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return "RootWrapping[" + rootKey + ", " + bytes.length + " bytes]";
  }
}
