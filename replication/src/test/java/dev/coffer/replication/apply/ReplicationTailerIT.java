package dev.coffer.replication.apply;

import static dev.coffer.replication.testing.ShardTestSupport.queryLong;
import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.core.crypto.WrappedVaultKey;
import dev.coffer.core.error.CofferException;
import dev.coffer.core.error.ErrorCode;
import dev.coffer.core.event.PositionedEvent;
import dev.coffer.core.model.LogPosition;
import dev.coffer.core.model.SecretName;
import dev.coffer.core.model.VaultName;
import dev.coffer.core.storage.ReplicationLogReader;
import dev.coffer.core.storage.ShardWriteStore.WriteOutcome;
import dev.coffer.replication.postgres.PostgresLogNotifications;
import dev.coffer.replication.postgres.PostgresLogReader;
import dev.coffer.replication.postgres.PostgresShardStore;
import dev.coffer.replication.postgres.ShardDatabase;
import dev.coffer.replication.testing.CountingReader;
import dev.coffer.replication.testing.ShardStoreExtension;
import dev.coffer.replication.testing.ShardTestSupport;
import dev.coffer.replication.testing.TestSealer;
import dev.coffer.testkit.crypto.FakeVaultKeys;
import dev.coffer.testkit.storage.AccessorAsReplica;
import dev.coffer.testkit.storage.InMemoryReplicaStore;
import dev.coffer.testkit.storage.ObservableState;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The whole path from a shard store write to a host's replica: store, log reader, notifications,
 * tailer, in-memory replica.
 */
class ReplicationTailerIT {
  private static final List<VaultName> VAULTS =
      List.of(VaultName.of("alpha"), VaultName.of("alpha-b"));
  private static final List<SecretName> SECRETS =
      List.of(SecretName.of("x"), SecretName.of("x.y"), SecretName.of("x-y"), SecretName.of("b-x"));

  /** Long enough that only a notification can explain a prompt apply. */
  private static final Duration LONG_POLL = Duration.ofSeconds(10);

  /** Generous: on a loaded machine a notification round trip still takes well under this. */
  private static final Duration PROMPT = Duration.ofSeconds(2);

  private static final String LISTEN = "LISTEN coffer_replication_log";

  private ShardDatabase database;
  private PostgresShardStore store;
  private PostgresLogReader reader;
  private InMemoryReplicaStore replica;
  private final List<AutoCloseable> toClose = new ArrayList<>();
  private ExecutorService executor;

  @RegisterExtension static final ShardStoreExtension SHARD = new ShardStoreExtension();

  @BeforeEach
  void freshShard() {
    database = SHARD.database();
    store = new PostgresShardStore(database);
    reader = new PostgresLogReader(database);
    replica = new InMemoryReplicaStore();
    executor = Executors.newCachedThreadPool();
  }

  @AfterEach
  void closeEverything() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
    executor.shutdownNow();
  }

  @Test
  void aReplicaTailingABurstOfConcurrentWritesEndsUpEqualToTheStore() throws Exception {
    for (VaultName vault : VAULTS) {
      store.createVault(vault, key(vault));
    }
    ReplicationTailer<PositionedEvent> tailer =
        tailer("burst", reader, notifications(), 16, Duration.ofMillis(100));
    tailer.start();

    int threads = 4;
    int opsEach = 20;
    Queue<WriteOutcome> committed = new ConcurrentLinkedQueue<>();
    AtomicInteger aborted = new AtomicInteger();
    CountDownLatch go = new CountDownLatch(1);
    List<Future<?>> writers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      writers.add(
          executor.submit(
              () -> {
                go.await();
                ThreadLocalRandom random = ThreadLocalRandom.current();
                for (int i = 0; i < opsEach; i++) {
                  VaultName vault = VAULTS.get(random.nextInt(VAULTS.size()));
                  SecretName secret = SECRETS.get(random.nextInt(SECRETS.size()));
                  int dice = random.nextInt(20);
                  try {
                    if (dice < 12) {
                      committed.add(
                          store.putSecret(vault, secret, TestSealer.of("t" + thread + "-" + i)));
                    } else if (dice < 16) {
                      committed.add(store.deleteSecret(vault, secret));
                    } else {
                      store.putSecret(
                          vault, secret, TestSealer.failing(new IllegalStateException("sealing")));
                    }
                  } catch (CofferException e) {
                    assertThat(e.code()).isEqualTo(ErrorCode.SECRET_NOT_FOUND);
                  } catch (IllegalStateException e) {
                    assertThat(e).hasMessage("sealing");
                    aborted.incrementAndGet();
                  }
                }
                return null;
              }));
    }
    go.countDown();
    for (Future<?> writer : writers) {
      writer.get(60, TimeUnit.SECONDS);
    }

    LogPosition last =
        committed.stream().map(WriteOutcome::position).max(LogPosition::compareTo).orElseThrow();
    assertThat(tailer.awaitApplied(last, Duration.ofSeconds(30))).isTrue();

    long maxVersion;
    long logRows;
    try (Connection c = SHARD.connect()) {
      maxVersion = queryLong(c, "SELECT coalesce(max(last_version), 0) FROM secrets");
      logRows = ShardTestSupport.logRowCount(c);
    }
    assertThat(aborted.get()).as("some writes were aborted").isPositive();
    assertThat(logRows).isEqualTo(VAULTS.size() + committed.size());
    assertThat(replica.appliedPosition()).isEqualTo(last).isEqualTo(reader.readablePosition());
    assertThat(tailer.appliedEvents()).isEqualTo(logRows);
    assertThat(tailer.failures()).isZero();
    assertThat(ObservableState.capture(replica, VAULTS, SECRETS, maxVersion))
        .isEqualTo(
            ObservableState.capture(new AccessorAsReplica(store), VAULTS, SECRETS, maxVersion));
  }

  @Test
  void awaitAppliedReturnsPromptlyAfterEachWriteBecauseNotificationsWakeTheTailer()
      throws Exception {
    ReplicationTailer<PositionedEvent> tailer =
        tailer("prompt", reader, notifications(), 100, LONG_POLL);
    tailer.start();
    awaitListening();
    VaultName vault = VAULTS.get(0);
    SecretName secret = SECRETS.get(0);

    List<WriteOutcome> writes = new ArrayList<>();
    writes.add(store.createVault(vault, key(vault)));
    for (int i = 0; i < 8; i++) {
      writes.add(
          i % 4 == 3
              ? store.deleteSecret(vault, secret)
              : store.putSecret(vault, secret, TestSealer.of("v" + i)));
      WriteOutcome write = writes.get(writes.size() - 1);

      long started = System.nanoTime();
      assertThat(tailer.awaitApplied(write.position(), PROMPT))
          .as("write %d applied within %s although the poll interval is %s", i, PROMPT, LONG_POLL)
          .isTrue();
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(PROMPT);
      assertThat(replica.latest(vault, secret)).isEqualTo(store.latest(vault, secret));
      assertThat(replica.position()).isEqualTo(write.position());
    }
    assertThat(tailer.appliedEvents()).isEqualTo(writes.size());
  }

  @Test
  void aWriteHeldBackByATransactionThatAppendsNothingIsNotLeftForThePollTimer() throws Exception {
    VaultName vault = VAULTS.get(0);
    store.createVault(vault, key(vault));
    ReplicationTailer<PositionedEvent> tailer =
        tailer("held-back", reader, notifications(), 100, LONG_POLL);
    tailer.start();
    awaitListening();

    try (Connection other = SHARD.connect()) {
      // A log writer's transaction with an id that ends without an event (a put that failed after
      // its first write, say): it holds the horizon back, and its end notifies no tailer.
      other.setAutoCommit(false);
      try (Statement statement = other.createStatement()) {
        statement.execute("SELECT log_writer_gate()");
        statement.execute("UPDATE log_truncation SET truncated_seq = truncated_seq");
      }
      WriteOutcome write = store.putSecret(vault, SECRETS.get(0), TestSealer.of("held"));
      assertThat(tailer.awaitApplied(write.position(), Duration.ofMillis(300)))
          .as("held back while the older transaction is open")
          .isFalse();
      assertThat(tailer.heldBackReads()).as("the reads that found it held back").isPositive();
      other.rollback();

      long started = System.nanoTime();
      assertThat(tailer.awaitApplied(write.position(), PROMPT))
          .as("applied soon after the holder ended, though nothing notified the tailer")
          .isTrue();
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(PROMPT);
    }
  }

  @Test
  void aTransactionThatIsNoLogWriterHoldsNothingBackInThisDatabaseOrAnother() throws Exception {
    VaultName vault = VAULTS.get(0);
    store.createVault(vault, key(vault));
    ReplicationTailer<PositionedEvent> tailer =
        tailer("not-held-back", reader, notifications(), 100, LONG_POLL);
    tailer.start();
    awaitListening();
    String otherDatabase = SHARD.databaseName() + "_other";
    SHARD.server().createDatabase(otherDatabase);

    try (Connection sameDatabase = SHARD.connect();
        Connection elsewhere = SHARD.server().connect(otherDatabase)) {
      // Transactions with ids older than the writes below, open throughout: an operator's
      // session in the shard's database, and another database's work on the same server.
      sameDatabase.setAutoCommit(false);
      elsewhere.setAutoCommit(false);
      ShardTestSupport.currentTxId(sameDatabase);
      ShardTestSupport.currentTxId(elsewhere);
      try (Statement statement = sameDatabase.createStatement()) {
        statement.execute("UPDATE log_truncation SET truncated_seq = truncated_seq");
      }

      for (int i = 0; i < 3; i++) {
        WriteOutcome write = store.putSecret(vault, SECRETS.get(0), TestSealer.of("free" + i));
        long started = System.nanoTime();
        assertThat(tailer.awaitApplied(write.position(), PROMPT))
            .as("write %d applied while transactions that append nothing are open", i)
            .isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(PROMPT);
      }
      assertThat(tailer.heldBackReads()).as("no read waited for them").isZero();
      assertThat(reader.writersHorizonReads())
          .as("the server's horizon was held back, so the reader looked at the writers'")
          .isPositive();
      sameDatabase.rollback();
      elsewhere.rollback();
    }
  }

  @Test
  void withoutNotificationsAWriteWaitsForThePollTimer() throws Exception {
    ReplicationTailer<PositionedEvent> tailer =
        tailer("timer", reader, LogWakeups.none(), 100, LONG_POLL);
    tailer.start();
    awaitCaughtUp(tailer);

    WriteOutcome write = store.createVault(VAULTS.get(0), key(VAULTS.get(0)));

    // The control for the test above: the same write is not applied promptly by the timer alone.
    assertThat(tailer.awaitApplied(write.position(), Duration.ofSeconds(1))).isFalse();
  }

  @Test
  void aWriteCommittedJustBeforeTheTailerStartsListeningIsNotLeftForThePollTimer()
      throws Exception {
    PostgresLogNotifications notifications = notifications();
    AtomicReference<WriteOutcome> written = new AtomicReference<>();
    AtomicBoolean first = new AtomicBoolean(true);
    // Commits a write after the tailer's first (empty) read but before its first LISTEN.
    LogWakeups writeThenListen =
        new LogWakeups() {
          @Override
          public boolean await(Duration timeout) {
            if (first.getAndSet(false)) {
              written.set(store.createVault(VAULTS.get(0), key(VAULTS.get(0))));
            }
            return notifications.await(timeout);
          }

          @Override
          public void close() {
            notifications.close();
          }
        };
    ReplicationTailer<PositionedEvent> tailer =
        tailer("race", reader, writeThenListen, 100, LONG_POLL);
    tailer.start();
    awaitCondition(() -> written.get() != null);

    assertThat(tailer.awaitApplied(written.get().position(), PROMPT)).isTrue();
  }

  @Test
  void closingTheTailerIsPromptEvenWithALongPollInterval() throws Exception {
    ReplicationTailer<PositionedEvent> tailer =
        tailer("close", reader, notifications(), 100, LONG_POLL);
    tailer.start();
    awaitListening();
    WriteOutcome write = store.createVault(VAULTS.get(0), key(VAULTS.get(0)));
    assertThat(tailer.awaitApplied(write.position(), PROMPT)).isTrue();
    awaitCaughtUp(tailer);

    long started = System.nanoTime();
    tailer.close();
    Duration took = Duration.ofNanos(System.nanoTime() - started);

    assertThat(took).isLessThan(Duration.ofSeconds(3));
    // Stopped for real: a later write is not applied.
    WriteOutcome after = store.createVault(VAULTS.get(1), key(VAULTS.get(1)));
    assertThat(tailer.awaitApplied(after.position(), Duration.ofMillis(500))).isFalse();
  }

  @Test
  void aNewTailerOverTheSameReplicaResumesFromItsAppliedPosition() throws Exception {
    CountingReader firstReader = new CountingReader(reader);
    ReplicationTailer<PositionedEvent> first =
        tailer("first", firstReader, notifications(), 4, Duration.ofMillis(100));
    first.start();
    LogPosition last = writeSome(0, 10);
    assertThat(first.awaitApplied(last, Duration.ofSeconds(10))).isTrue();
    first.close();
    long eventsBefore = firstReader.eventsReturned();
    assertThat(eventsBefore).isEqualTo(10);
    assertThat(replica.appliedPosition()).isEqualTo(last);

    CountingReader secondReader = new CountingReader(reader);
    ReplicationTailer<PositionedEvent> second =
        tailer("second", secondReader, notifications(), 4, Duration.ofMillis(100));
    second.start();
    awaitCaughtUp(second);

    assertThat(secondReader.afters()).isNotEmpty().allSatisfy(a -> assertThat(a).isEqualTo(last));
    assertThat(secondReader.eventsReturned()).isZero();
    assertThat(second.appliedEvents()).isZero();

    LogPosition newLast = writeSome(10, 3);
    assertThat(second.awaitApplied(newLast, Duration.ofSeconds(10))).isTrue();
    assertThat(second.appliedEvents()).isEqualTo(3);
    assertThat(secondReader.eventsReturned()).isEqualTo(3);
    assertThat(secondReader.afters()).doesNotContain(LogPosition.ZERO);
    assertThat(replica.appliedPosition()).isEqualTo(newLast);
    assertThat(ObservableState.capture(replica, VAULTS, SECRETS, 3))
        .isEqualTo(ObservableState.capture(new AccessorAsReplica(store), VAULTS, SECRETS, 3));
  }

  @Test
  void theTailerRetriesAfterReadFailuresAndLosesNothing() throws Exception {
    LogPosition last = writeSome(0, 5);
    CountingReader failing = new CountingReader(reader).failingFirst(2);
    ReplicationTailer<PositionedEvent> tailer =
        tailer("retry", failing, notifications(), 2, Duration.ofMillis(20));

    tailer.start();

    assertThat(tailer.awaitApplied(last, Duration.ofSeconds(10))).isTrue();
    assertThat(tailer.failures()).isEqualTo(2);
    assertThat(tailer.appliedEvents()).isEqualTo(5);
    assertThat(failing.afters().subList(0, 3)).containsOnly(LogPosition.ZERO);
  }

  @Test
  void aLostNotificationConnectionFallsBackToPollingAndListensAgain() throws Exception {
    ReplicationTailer<PositionedEvent> tailer =
        tailer("reconnect", reader, notifications(), 100, Duration.ofSeconds(1));
    tailer.start();
    awaitListening();

    try (Connection admin = SHARD.connect()) {
      assertThat(
              queryLong(
                  admin,
                  "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                      + " WHERE datname = current_database() AND query = '"
                      + LISTEN
                      + "'"))
          .isEqualTo(1);
    }
    WriteOutcome write = store.createVault(VAULTS.get(0), key(VAULTS.get(0)));
    assertThat(tailer.awaitApplied(write.position(), Duration.ofSeconds(10))).isTrue();
    awaitListening();
    assertThat(tailer.failures()).isZero();
  }

  // --- helpers

  private ReplicationTailer<PositionedEvent> tailer(
      String name,
      ReplicationLogReader logReader,
      LogWakeups wakeups,
      int batchSize,
      Duration pollInterval) {
    ReplicationTailer<PositionedEvent> tailer =
        new ReplicationTailer<>(
            name, logReader, replica, wakeups, batchSize, pollInterval, ApplyListener.NONE);
    toClose.add(wakeups);
    toClose.add(tailer);
    return tailer;
  }

  private PostgresLogNotifications notifications() {
    return new PostgresLogNotifications(database);
  }

  /** Creates the vaults if needed and puts {@code count} versions; returns the last position. */
  private LogPosition writeSome(int from, int count) {
    LogPosition last = LogPosition.ZERO;
    for (int i = from; i < from + count; i++) {
      VaultName vault = VAULTS.get(i % VAULTS.size());
      if (i < VAULTS.size()) {
        last = store.createVault(vault, key(vault)).position();
      } else {
        last =
            store
                .putSecret(vault, SECRETS.get(i % SECRETS.size()), TestSealer.of("v" + i))
                .position();
      }
    }
    return last;
  }

  /** Waits until the tailer's notification connection has subscribed. */
  private void awaitListening() throws Exception {
    try (Connection admin = SHARD.connect()) {
      awaitCondition(
          () -> {
            try {
              return queryLong(
                      admin,
                      "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                          + " AND query = '"
                          + LISTEN
                          + "'")
                  > 0;
            } catch (SQLException e) {
              throw new IllegalStateException(e);
            }
          });
    }
  }

  private static void awaitCaughtUp(ReplicationTailer<PositionedEvent> tailer)
      throws InterruptedException {
    awaitCondition(tailer::isCaughtUp);
  }

  private static void awaitCondition(java.util.function.BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition reached within 10 s").isLessThan(deadline);
      Thread.sleep(10);
    }
  }

  private static WrappedVaultKey key(VaultName vault) {
    return FakeVaultKeys.version(1, ("wrapped-key/" + vault).getBytes(StandardCharsets.UTF_8));
  }
}
