package dev.coffer.benchmark.micro;

import dev.coffer.core.crypto.SealedSecret;
import dev.coffer.core.crypto.SecretCrypto;
import dev.coffer.core.crypto.SecretIdentity;
import dev.coffer.core.crypto.WrappedVaultKey;
import dev.coffer.core.model.SecretName;
import dev.coffer.core.model.SecretValue;
import dev.coffer.core.model.VaultName;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Envelope encryption of one secret version (a fresh data key, the value under it, the data key
 * under the vault key) and its opening, with the vault key already in the crypto's cache, as on a
 * warm host.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class CryptoBenchmark {
  @Param("1024")
  public int valueBytes;

  private SecretCrypto crypto;
  private WrappedVaultKey vaultKey;
  private SecretIdentity identity;
  private byte[] plaintext;
  private SealedSecret sealed;

  @Setup
  public void setUp() {
    crypto = Fixtures.crypto();
    VaultName vault = VaultName.of("bench");
    vaultKey = crypto.newVaultKey(vault);
    identity = new SecretIdentity(vault, SecretName.of("s-000001"), 1);
    plaintext = Fixtures.utf8(Fixtures.value(valueBytes));
    sealed = crypto.seal(identity, vaultKey, SecretValue.ofBytes(plaintext));
  }

  @Benchmark
  public SealedSecret encrypt() {
    try (SecretValue value = SecretValue.ofBytes(plaintext)) {
      return crypto.seal(identity, vaultKey, value);
    }
  }

  @Benchmark
  public int decrypt() {
    try (SecretValue value = crypto.open(identity, vaultKey, sealed)) {
      return value.length();
    }
  }
}
