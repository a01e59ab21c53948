package dev.coffer.testkit.crypto;

import dev.coffer.core.crypto.KeyRef;
import dev.coffer.core.crypto.RootKeyProvider;
import dev.coffer.core.crypto.RootOfTrust;
import dev.coffer.core.crypto.RootWrapping;
import dev.coffer.core.crypto.WrappedVaultKey;
import dev.coffer.core.model.VaultName;

/**
 * Wrapped vault keys with the stored form of real ones and payloads of the caller's choosing, for
 * tests of storage and replication that never unwrap them.
 */
public final class FakeVaultKeys {
  /**
   * A root of trust whose only root key "wraps" by keeping the bytes as they are, so the payload
   * becomes the stored wrapping. Going through {@link RootOfTrust#wrap} keeps the stored form
   * core's own, without reaching into its package-private bundle format.
   */
  private static final RootOfTrust KEEPS_THE_PAYLOAD = RootOfTrust.of(new PayloadAsWrapping());

  private static final VaultName ANY_VAULT = VaultName.of("fake");

  private FakeVaultKeys() {}

  public static WrappedVaultKey version(int version, byte[] payload) {
    return KEEPS_THE_PAYLOAD.wrap(ANY_VAULT, version, payload);
  }

  private static final class PayloadAsWrapping implements RootKeyProvider {
    private static final KeyRef KEY = new KeyRef("test-root", 1);

    @Override
    public String keyId() {
      return KEY.id();
    }

    @Override
    public int keyVersion() {
      return KEY.version();
    }

    @Override
    public RootWrapping wrap(byte[] key, byte[] context) {
      return new RootWrapping(KEY, key);
    }

    @Override
    public byte[] unwrap(RootWrapping wrapping, byte[] context) {
      throw new UnsupportedOperationException("fake vault keys are never unwrapped");
    }

    @Override
    public boolean isAvailable() {
      return true;
    }
  }
}
