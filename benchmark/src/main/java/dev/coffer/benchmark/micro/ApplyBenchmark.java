package dev.coffer.benchmark.micro;

import dev.coffer.core.crypto.SealedSecret;
import dev.coffer.core.crypto.SecretCrypto;
import dev.coffer.core.crypto.SecretIdentity;
import dev.coffer.core.crypto.WrappedVaultKey;
import dev.coffer.core.event.PositionedEvent;
import dev.coffer.core.event.SecretVersionPut;
import dev.coffer.core.event.VaultCreated;
import dev.coffer.core.model.LogPosition;
import dev.coffer.core.model.SecretName;
import dev.coffer.core.model.SecretValue;
import dev.coffer.core.model.VaultName;
import dev.coffer.dataplane.storage.rocksdb.RocksDbReplicaStore;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The tailer's write path: {@link RocksDbReplicaStore#apply} of a batch of new secret versions,
 * spread over a fixed set of secrets so that most events add a version to an existing secret. Each
 * batch is one synced RocksDB write, as on a host, so the figure includes an fsync of the WAL.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ApplyBenchmark {
  @Param("1000")
  public int batchSize;

  @Param("10000")
  public int secrets;

  @Param("1024")
  public int valueBytes;

  private Path directory;
  private RocksDbReplicaStore store;
  private VaultName vault;
  private SecretName[] names;
  private SealedSecret sealed;
  private Instant createdAt;
  private long tx;
  private long event;
  private List<PositionedEvent> batch;

  @Setup(Level.Trial)
  public void setUp() {
    directory = Fixtures.scratchDirectory("coffer-micro-apply-");
    store = RocksDbReplicaStore.open(directory);
    SecretCrypto crypto = Fixtures.crypto();
    vault = VaultName.of("bench");
    WrappedVaultKey key = crypto.newVaultKey(vault);
    createdAt = Instant.now();
    // The apply path never decrypts, so one ciphertext of the right size serves every event.
    sealed =
        crypto.seal(
            new SecretIdentity(vault, SecretName.of("s-000000"), 1),
            key,
            SecretValue.ofBytes(Fixtures.utf8(Fixtures.value(valueBytes))));
    names = new SecretName[secrets];
    for (int i = 0; i < secrets; i++) {
      names[i] = SecretName.of(String.format("s-%06d", i));
    }
    store.apply(
        List.of(
            new PositionedEvent(
                new LogPosition(++tx, 1), new VaultCreated(vault, 1, key, createdAt))));
  }

  /** The batch is built outside the measured call, as the log reader builds it before apply. */
  @Setup(Level.Invocation)
  public void nextBatch() {
    batch = new ArrayList<>(batchSize);
    tx++;
    for (int i = 0; i < batchSize; i++) {
      int secret = (int) (event % secrets);
      long version = event / secrets + 1;
      batch.add(
          new PositionedEvent(
              new LogPosition(tx, i + 1),
              new SecretVersionPut(vault, names[secret], version, version, createdAt, sealed)));
      event++;
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    store.close();
    Fixtures.delete(directory);
  }

  @Benchmark
  public void applyBatch() {
    store.apply(batch);
  }
}
