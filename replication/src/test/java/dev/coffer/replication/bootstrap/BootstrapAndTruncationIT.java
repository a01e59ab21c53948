package dev.coffer.replication.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.core.event.PositionedEvent;
import dev.coffer.core.model.HostId;
import dev.coffer.core.model.LogPosition;
import dev.coffer.core.model.SecretName;
import dev.coffer.core.model.SecretStage;
import dev.coffer.core.model.VaultName;
import dev.coffer.core.storage.LogTruncatedException;
import dev.coffer.core.storage.ReplicaStore;
import dev.coffer.core.storage.ShardWriteStore.WriteOutcome;
import dev.coffer.replication.apply.ApplyListener;
import dev.coffer.replication.apply.LogWakeups;
import dev.coffer.replication.apply.ReplicationTailer;
import dev.coffer.replication.postgres.PostgresCellMembership;
import dev.coffer.replication.postgres.PostgresLogReader;
import dev.coffer.replication.postgres.PostgresLogTruncation;
import dev.coffer.replication.postgres.PostgresShardSnapshot;
import dev.coffer.replication.postgres.PostgresShardStore;
import dev.coffer.replication.postgres.ShardDatabase;
import dev.coffer.replication.testing.RoundTripCountingDataSource;
import dev.coffer.replication.testing.ShardStoreExtension;
import dev.coffer.replication.testing.ShardTestSupport;
import dev.coffer.replication.testing.TestSealer;
import dev.coffer.testkit.crypto.FakeVaultKeys;
import dev.coffer.testkit.storage.AccessorAsReplica;
import dev.coffer.testkit.storage.InMemoryReplicaStore;
import dev.coffer.testkit.storage.ObservableState;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Log truncation and snapshot bootstrap against a real shard store. */
class BootstrapAndTruncationIT {
  private static final List<VaultName> VAULTS = List.of(VaultName.of("v"), VaultName.of("w"));
  private static final List<SecretName> SECRETS =
      List.of(SecretName.of("a"), SecretName.of("b"), SecretName.of("c"));
  private static final HostId HOST_A = HostId.of("host-a");
  private static final HostId HOST_B = HostId.of("host-b");

  private ShardDatabase database;
  private PostgresShardStore store;
  private PostgresCellMembership cell;
  private PostgresLogReader reader;
  private PostgresLogTruncation truncation;
  private final List<WriteOutcome> writes = new ArrayList<>();

  @RegisterExtension static final ShardStoreExtension SHARD = new ShardStoreExtension();

  @BeforeEach
  void freshShard() {
    database = SHARD.database();
    store = new PostgresShardStore(database);
    cell = new PostgresCellMembership(database);
    reader = new PostgresLogReader(database);
    truncation = new PostgresLogTruncation(database);
    for (VaultName vault : VAULTS) {
      writes.add(store.createVault(vault, FakeVaultKeys.version(1, new byte[] {7})));
    }
  }

  /**
   * A history with deletes and re-creations, so tombstones matter, and with PENDING puts and
   * promotions, so that a secret's stage map can be newer than every version it names.
   */
  private void writeHistory(int rounds) {
    for (int i = 0; i < rounds; i++) {
      for (VaultName vault : VAULTS) {
        for (SecretName secret : SECRETS) {
          writes.add(store.putSecret(vault, secret, TestSealer.of(vault + "/" + secret + "/" + i)));
        }
        if (i % 2 == 0) {
          writes.add(store.deleteSecret(vault, SECRETS.get(i % SECRETS.size())));
        }
        SecretName rotated = SECRETS.get(SECRETS.size() - 1);
        WriteOutcome pending =
            store.putSecret(
                vault, rotated, SecretStage.PENDING, TestSealer.of(vault + "/pending/" + i));
        writes.add(pending);
        if (i % 2 == 1) {
          writes.add(store.promoteToCurrent(vault, rotated, pending.version()));
        }
      }
    }
  }

  private LogPosition last() {
    return writes.get(writes.size() - 1).position();
  }

  private ObservableState storeState() {
    return ObservableState.capture(new AccessorAsReplica(store), VAULTS, SECRETS, 20);
  }

  @Test
  void truncationKeepsWhatAnyRegisteredHostStillNeedsAndWhatIsYoungerThanTheRetention() {
    writeHistory(2);
    LogPosition middle = writes.get(writes.size() / 2).position();
    cell.register(HOST_A, last());
    cell.register(HOST_B, LogPosition.ZERO);
    assertThat(truncation.truncate(Duration.ZERO).deletedEvents())
        .as("host B has applied nothing")
        .isZero();

    cell.report(HOST_B, middle);
    assertThat(truncation.truncate(Duration.ofHours(1)).deletedEvents())
        .as("everything is younger than the retention window")
        .isZero();

    long before = countLog();
    PostgresLogTruncation.Truncation done = truncation.truncate(Duration.ZERO);
    assertThat(done.truncatedAt()).isEqualTo(middle);
    assertThat(done.deletedEvents()).isEqualTo(before - countLog()).isPositive();
    assertThat(reader.readAfter(middle, 1000))
        .as("what host B still needs is there")
        .extracting(PositionedEvent::position)
        .first()
        .matches(p -> p.compareTo(middle) > 0);
    assertThat(truncation.truncate(Duration.ZERO).truncatedAt())
        .as("never goes back")
        .isEqualTo(middle);
  }

  /**
   * A transaction id in flight holds back every tailer's horizon, and nothing wakes them when it
   * ends: the round that runs every half minute and almost always finds nothing due must not take
   * one.
   */
  @Test
  void aRoundWithNothingDueTakesNoTransactionId() throws Exception {
    writeHistory(2);
    cell.register(HOST_A, last());
    try (Connection observer = SHARD.connect()) {
      long before = ShardTestSupport.nextTransactionId(observer);

      assertThat(truncation.truncate(Duration.ofHours(1)).deletedEvents()).isZero();
      cell.register(HOST_B, LogPosition.ZERO);
      long registered = ShardTestSupport.nextTransactionId(observer);
      assertThat(truncation.truncate(Duration.ZERO).deletedEvents()).isZero();

      assertThat(registered).as("registering B took one").isGreaterThan(before);
      assertThat(ShardTestSupport.nextTransactionId(observer))
          .as("the rounds took none")
          .isEqualTo(registered);
    }
  }

  /**
   * However much is due, each deleting statement removes at most a chunk and commits as it ends, so
   * the transaction id it takes is held only while it runs; the round still deletes everything due
   * and gives its lock back.
   */
  @Test
  void aRoundDeletesInChunksOfAutocommitStatementsAndGivesItsLockBack() throws Exception {
    writeHistory(3);
    cell.register(HOST_A, last());
    LogPosition lowest = writes.get(writes.size() - 2).position();
    cell.register(HOST_B, lowest);
    long due = writes.stream().filter(w -> w.position().compareTo(lowest) <= 0).count();
    RoundTripCountingDataSource counting = new RoundTripCountingDataSource(SHARD.dataSource());
    PostgresLogTruncation chunked = new PostgresLogTruncation(ShardDatabase.validated(counting), 4);
    long before = countLog();
    counting.reset();

    PostgresLogTruncation.Truncation done = chunked.truncate(Duration.ZERO);

    assertThat(done.deletedEvents()).isEqualTo(due).isEqualTo(before - countLog());
    assertThat(done.truncatedAt()).isEqualTo(lowest);
    // The look, the lock, one statement per chunk (the last one short), the unlock.
    assertThat(counting.executions()).isEqualTo(1 + 1 + (int) (due / 4 + 1) + 1);
    assertThat(counting.commits()).isZero();
    assertThat(reader.readAfter(lowest, 1000))
        .as("what host B still needs is there")
        .extracting(PositionedEvent::position)
        .containsExactly(last());
    try (Connection observer = SHARD.connect()) {
      assertThat(ShardTestSupport.advisoryLocksHeld(observer)).isZero();
    }
  }

  @Test
  void aReaderBehindTheTruncationPointIsToldInsteadOfSkipping() {
    writeHistory(1);
    cell.register(HOST_A, last());
    LogPosition truncatedAt = truncation.truncate(Duration.ZERO).truncatedAt();
    assertThat(truncatedAt).isEqualTo(last());
    assertThatThrownBy(() -> reader.readAfter(LogPosition.ZERO, 10))
        .isInstanceOf(LogTruncatedException.class)
        .extracting(e -> ((LogTruncatedException) e).truncatedAt())
        .isEqualTo(truncatedAt);
    assertThat(reader.readAfter(truncatedAt, 10)).isEmpty();
  }

  @Test
  void aNewHostBootstrapsFromTheSnapshotThenTailsAndEndsEqualToTheStore()
      throws InterruptedException {
    writeHistory(3);
    cell.register(HOST_A, last());
    truncation.truncate(Duration.ZERO);
    writeHistory(2);

    InMemoryReplicaStore replica = new InMemoryReplicaStore();
    try (ReplicationTailer<PositionedEvent> tailer = tailer(replica)) {
      tailer.start();
      assertThat(tailer.awaitApplied(last(), Duration.ofSeconds(20))).isTrue();
      assertThat(tailer.bootstraps()).isEqualTo(1);
    }
    assertThat(ObservableState.capture(replica, VAULTS, SECRETS, 20)).isEqualTo(storeState());
  }

  @Test
  void aNewHostBootstrapsOnceWhileATransactionThatIsNoLogWriterHoldsAnOlderId() throws Exception {
    try (Connection foreign = SHARD.server().connect("postgres")) {
      // Open throughout, older than every write below: the server's horizon stays at its id.
      foreign.setAutoCommit(false);
      long foreignId = ShardTestSupport.currentTxId(foreign);
      writeHistory(2);
      // A host applied everything and reported it, and the log was truncated past the foreign id.
      cell.register(HOST_A, last());
      assertThat(truncation.truncate(Duration.ZERO).truncatedAt().txId()).isGreaterThan(foreignId);
      writeHistory(1);

      InMemoryReplicaStore replica = new InMemoryReplicaStore();
      try (ReplicationTailer<PositionedEvent> tailer = tailer(replica)) {
        tailer.start();
        assertThat(tailer.awaitApplied(last(), Duration.ofSeconds(20))).isTrue();
        assertThat(tailer.bootstraps())
            .as("the snapshot resumes above the truncation point, not at the foreign id")
            .isEqualTo(1);
      }
      assertThat(ObservableState.capture(replica, VAULTS, SECRETS, 20)).isEqualTo(storeState());
      foreign.rollback();
    }
  }

  @Test
  void aHostThatFellBehindMergesTheSnapshotIntoItsStaleReplica() throws InterruptedException {
    writeHistory(1);
    InMemoryReplicaStore replica = new InMemoryReplicaStore();
    replica.apply(reader.readAfter(LogPosition.ZERO, 1000));
    // While it is away, secrets it holds are deleted and the log is truncated past it.
    for (VaultName vault : VAULTS) {
      for (SecretName secret : SECRETS) {
        if (store.latest(vault, secret).isPresent()) {
          writes.add(store.deleteSecret(vault, secret));
        }
      }
    }
    writeHistory(1);
    cell.register(HOST_A, last());
    truncation.truncate(Duration.ZERO);

    try (ReplicationTailer<PositionedEvent> tailer = tailer(replica)) {
      tailer.start();
      assertThat(tailer.awaitApplied(last(), Duration.ofSeconds(20))).isTrue();
    }
    assertThat(ObservableState.capture(replica, VAULTS, SECRETS, 20)).isEqualTo(storeState());
  }

  @Test
  void aBootstrapCutShortLeavesTheReplicaBehindSoItIsRedone() {
    writeHistory(2);
    cell.register(HOST_A, last());
    truncation.truncate(Duration.ZERO);
    InMemoryReplicaStore replica = new InMemoryReplicaStore();
    SnapshotBootstrap bootstrap = new SnapshotBootstrap(new PostgresShardSnapshot(database), 3);

    FailingReplica crashing = new FailingReplica(replica, 2);
    assertThatThrownBy(() -> bootstrap.bootstrap(crashing))
        .isInstanceOf(IllegalStateException.class);
    assertThat(replica.appliedPosition())
        .as("a half-applied snapshot must not claim its position")
        .isEqualTo(LogPosition.ZERO);
    assertThatThrownBy(() -> reader.readAfter(replica.appliedPosition(), 10))
        .isInstanceOf(LogTruncatedException.class);

    LogPosition after = bootstrap.bootstrap(replica);
    assertThat(after.compareTo(LogPosition.ZERO)).isPositive();
    assertThat(reader.readAfter(after, 1000)).as("nothing left to tail").isEmpty();
    assertThat(ObservableState.capture(replica, VAULTS, SECRETS, 20)).isEqualTo(storeState());
  }

  private ReplicationTailer<PositionedEvent> tailer(InMemoryReplicaStore replica) {
    SnapshotBootstrap bootstrap = new SnapshotBootstrap(new PostgresShardSnapshot(database), 4);
    return new ReplicationTailer<>(
        "test",
        reader,
        replica,
        LogWakeups.none(),
        7,
        Duration.ofMillis(20),
        ApplyListener.NONE,
        () -> bootstrap.bootstrap(replica));
  }

  private long countLog() {
    try (var connection = SHARD.connect()) {
      return ShardTestSupport.queryLong(connection, "SELECT count(*) FROM replication_log");
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Applies normally, then fails on the n-th apply, as a process killed mid-bootstrap would. */
  private static final class FailingReplica implements ReplicaStore {
    private final InMemoryReplicaStore delegate;
    private int remaining;

    FailingReplica(InMemoryReplicaStore delegate, int failOn) {
      this.delegate = delegate;
      this.remaining = failOn;
    }

    @Override
    public void apply(List<PositionedEvent> batch) {
      if (--remaining == 0) {
        throw new IllegalStateException("killed mid-bootstrap");
      }
      delegate.apply(batch);
    }

    @Override
    public LogPosition appliedPosition() {
      return delegate.appliedPosition();
    }

    @Override
    public java.util.Optional<dev.coffer.core.model.VaultRecord> vault(VaultName vault) {
      return delegate.vault(vault);
    }

    @Override
    public java.util.Optional<dev.coffer.core.model.SecretVersionRecord> latest(
        VaultName vault, SecretName secret) {
      return delegate.latest(vault, secret);
    }

    @Override
    public java.util.Optional<dev.coffer.core.model.StageMap> stages(
        VaultName vault, SecretName secret) {
      return delegate.stages(vault, secret);
    }

    @Override
    public java.util.Optional<dev.coffer.core.model.SecretVersionRecord> version(
        VaultName vault, SecretName secret, long version) {
      return delegate.version(vault, secret, version);
    }

    @Override
    public List<dev.coffer.core.model.SecretMetadata> list(
        VaultName vault, java.util.Optional<SecretName> after, int limit) {
      return delegate.list(vault, after, limit);
    }

    @Override
    public void close() {}
  }
}
