package dev.coffer.core.crypto;

import java.util.List;

/**
 * Wrapped vault keys with the stored form of real ones and payloads of the caller's choosing, for
 * tests of storage and replication that never unwrap them.
 */
public final class FakeVaultKeys {
  private FakeVaultKeys() {}

  public static WrappedVaultKey version(int version, byte[] payload) {
    return new WrappedVaultKey(
        new VaultKeyBundle(
                version,
                List.of(
                    new VaultKeyBundle.Wrapping(
                        VaultKeyBundle.Kind.ROOT,
                        new RootWrapping(new KeyRef("test-root", 1), payload))))
            .encode());
  }
}
