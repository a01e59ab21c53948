package dev.coffer.replication.testing;

import dev.coffer.core.crypto.SealedSecret;
import dev.coffer.core.crypto.WrappedVaultKey;
import dev.coffer.core.storage.ShardWriteStore.VersionSealer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A sealer that "encrypts" by labelling: the result names the value and the version it was sealed
 * for, so a record read back shows which write and which version number produced it.
 */
public final class TestSealer implements VersionSealer {
  /** What the store handed to the sealer. */
  public record Call(WrappedVaultKey key, long version) {}

  private final String value;
  private final List<Call> calls = new ArrayList<>();

  private TestSealer(String value) {
    this.value = value;
  }

  public static TestSealer of(String value) {
    return new TestSealer(value);
  }

  /** The sealed form {@link #of}{@code (value)} produces for {@code version}. */
  public static SealedSecret sealed(String value, long version) {
    return new SealedSecret(
        ("dek/" + version + "/" + value).getBytes(StandardCharsets.UTF_8),
        ("ciphertext/" + value).getBytes(StandardCharsets.UTF_8));
  }

  /** A sealer that fails the way a broken crypto provider would. */
  public static VersionSealer failing(RuntimeException failure) {
    return (key, version) -> {
      throw failure;
    };
  }

  @Override
  public synchronized SealedSecret seal(WrappedVaultKey vaultKey, long version) {
    calls.add(new Call(vaultKey, version));
    return sealed(value, version);
  }

  public synchronized List<Call> calls() {
    return List.copyOf(calls);
  }
}
