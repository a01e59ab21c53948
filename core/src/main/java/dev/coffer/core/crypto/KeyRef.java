package dev.coffer.core.crypto;

import java.nio.charset.StandardCharsets;

/**
 * Names one version of one key: a root key, a vault key or the recovery key. Never holds key
 * material, so it may be logged.
 */
public record KeyRef(String id, int version) {
  public KeyRef {
    int length = id.getBytes(StandardCharsets.UTF_8).length;
    if (length == 0 || length > 255) {
      throw new IllegalArgumentException("key ids have 1 to 255 bytes");
    }
    if (version < 0) {
      throw new IllegalArgumentException("key versions are non-negative");
    }
  }

  @Override
  public String toString() {
    return id + "/v" + version;
  }
}
