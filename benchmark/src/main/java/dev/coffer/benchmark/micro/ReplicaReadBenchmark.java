package dev.coffer.benchmark.micro;

import dev.coffer.core.crypto.SecretCrypto;
import dev.coffer.core.crypto.SecretIdentity;
import dev.coffer.core.crypto.WrappedVaultKey;
import dev.coffer.core.event.PositionedEvent;
import dev.coffer.core.event.SecretVersionPut;
import dev.coffer.core.event.VaultCreated;
import dev.coffer.core.model.LogPosition;
import dev.coffer.core.model.SecretName;
import dev.coffer.core.model.SecretValue;
import dev.coffer.core.model.SecretVersionRecord;
import dev.coffer.core.model.VaultName;
import dev.coffer.core.read.RevealedSecret;
import dev.coffer.core.read.SecretReads;
import dev.coffer.dataplane.storage.rocksdb.RocksDbReplicaStore;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * A host's read of a random secret from its RocksDB replica: the lookup alone, and the whole read
 * as {@link SecretReads} does it for the HTTP resource (vault record, latest version, decryption).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ReplicaReadBenchmark {
  @Param("10000")
  public int secrets;

  @Param("1024")
  public int valueBytes;

  private Path directory;
  private RocksDbReplicaStore store;
  private SecretReads reads;
  private VaultName vault;
  private SecretName[] names;

  @Setup
  public void setUp() {
    directory = Fixtures.scratchDirectory("coffer-micro-read-");
    store = RocksDbReplicaStore.open(directory);
    SecretCrypto crypto = Fixtures.crypto();
    vault = VaultName.of("bench");
    WrappedVaultKey key = crypto.newVaultKey(vault);
    Instant now = Instant.now();
    byte[] plaintext = Fixtures.utf8(Fixtures.value(valueBytes));
    names = new SecretName[secrets];
    long tx = 1;
    List<PositionedEvent> batch = new ArrayList<>();
    batch.add(new PositionedEvent(new LogPosition(tx++, 1), new VaultCreated(vault, 1, key, now)));
    for (int i = 0; i < secrets; i++) {
      names[i] = SecretName.of(String.format("s-%06d", i));
      batch.add(
          new PositionedEvent(
              new LogPosition(tx++, 1),
              new SecretVersionPut(
                  vault,
                  names[i],
                  1,
                  1,
                  now,
                  crypto.seal(
                      new SecretIdentity(vault, names[i], 1),
                      key,
                      SecretValue.ofBytes(plaintext)))));
      if (batch.size() == 1000) {
        store.apply(batch);
        batch = new ArrayList<>();
      }
    }
    store.apply(batch);
    reads = new SecretReads(store, crypto);
  }

  @TearDown
  public void tearDown() {
    store.close();
    Fixtures.delete(directory);
  }

  @Benchmark
  public Optional<SecretVersionRecord> rocksDbGet() {
    return store.latest(vault, names[ThreadLocalRandom.current().nextInt(names.length)]);
  }

  @Benchmark
  public int rocksDbGetAndDecrypt() {
    RevealedSecret revealed =
        reads.read(
            vault, names[ThreadLocalRandom.current().nextInt(names.length)], OptionalLong.empty());
    try (SecretValue value = revealed.value()) {
      return value.length();
    }
  }
}
