package dev.coffer.replication.postgres;

import static dev.coffer.replication.testing.ShardTestSupport.appendRaw;
import static dev.coffer.replication.testing.ShardTestSupport.queryLong;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.core.crypto.SealedSecret;
import dev.coffer.core.crypto.WrappedVaultKey;
import dev.coffer.core.event.PositionedEvent;
import dev.coffer.core.event.ReplicationEvent;
import dev.coffer.core.event.SecretVersionPut;
import dev.coffer.core.model.LogPosition;
import dev.coffer.core.model.SecretName;
import dev.coffer.core.model.VaultName;
import dev.coffer.core.storage.LogReader.Read;
import dev.coffer.core.storage.ShardWriteStore.WriteOutcome;
import dev.coffer.replication.testing.ShardStoreExtension;
import dev.coffer.replication.testing.ShardTestSupport;
import dev.coffer.replication.testing.TestSealer;
import dev.coffer.testkit.crypto.FakeVaultKeys;
import dev.coffer.testkit.storage.ReplicaEvents;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The horizon reader against real concurrent transactions, above all the outbox gap: a transaction
 * with a smaller id (and an earlier row) that commits after a later one must still be delivered.
 */
class PostgresLogReaderIT {
  private static final String VAULT_NAME = "payments";
  private static final VaultName VAULT = VaultName.of(VAULT_NAME);
  private static final WrappedVaultKey KEY =
      FakeVaultKeys.version(1, "wrapped-key".getBytes(StandardCharsets.UTF_8));

  private PostgresShardStore store;
  private PostgresLogReader reader;
  private ExecutorService executor;

  @RegisterExtension static final ShardStoreExtension SHARD = new ShardStoreExtension();

  @BeforeEach
  void freshShard() {
    ShardDatabase database = SHARD.database();
    store = new PostgresShardStore(database);
    reader = new PostgresLogReader(database);
    executor = Executors.newCachedThreadPool();
  }

  @AfterEach
  void stopThreads() {
    executor.shutdownNow();
  }

  @Test
  void anEventCommittedLateBelowALaterOneIsNeitherSkippedNorOvertaken() throws SQLException {
    LogPosition vaultCreated = store.createVault(VAULT, KEY).position();
    SecretVersionPut eventA = ReplicaEvents.put(VAULT_NAME, "a", 1, 1);
    SecretVersionPut eventB = ReplicaEvents.put(VAULT_NAME, "b", 1, 1);

    try (Connection a = connect(false);
        Connection b = connect(false);
        Connection naive = connect(true)) {
      // A appends first, so it has the smaller transaction id and the smaller seq, but stays open.
      LogPosition positionA = appendRaw(a, eventA);
      long naiveLastSeq = max(naiveSeqsAfter(naive, 0));
      // B starts later and commits first.
      LogPosition positionB = appendRaw(b, eventB);
      b.commit();
      assertThat(positionB.txId()).isGreaterThan(positionA.txId());
      assertThat(positionB.seq()).isGreaterThan(positionA.seq());

      // A reader that tracks the highest seq it has seen moves past A's row now...
      List<Long> naiveSeen = naiveSeqsAfter(naive, naiveLastSeq);
      assertThat(naiveSeen).containsExactly(positionB.seq());
      naiveLastSeq = max(naiveSeen);

      // ...while the horizon reader holds B back: A, still in flight, is below it.
      assertThat(reader.readAfter(vaultCreated, 100)).isEmpty();
      assertThat(reader.read(vaultCreated, 100).heldBack())
          .as("B is committed but held back, so the reader must look again soon")
          .isTrue();
      assertThat(reader.readAfter(LogPosition.ZERO, 100))
          .extracting(PositionedEvent::position)
          .containsExactly(vaultCreated);
      assertThat(reader.readablePosition()).isEqualTo(vaultCreated);

      a.commit();

      // The seq reader has skipped A for good: the scenario is the real outbox gap.
      assertThat(naiveSeqsAfter(naive, naiveLastSeq)).isEmpty();
      assertThat(naiveSeqsAfter(naive, 0)).contains(positionA.seq());
      // The horizon reader delivers A, then B, in position order.
      List<PositionedEvent> delivered = reader.readAfter(vaultCreated, 100);
      assertThat(delivered)
          .extracting(PositionedEvent::position)
          .containsExactly(positionA, positionB);
      assertThat(reader.read(positionB, 100).heldBack()).isFalse();
      assertThat(delivered).extracting(PositionedEvent::event).containsExactly(eventA, eventB);
      assertThat(reader.readablePosition()).isEqualTo(positionB);
    }
  }

  /**
   * A put that keeps losing races seals inside its transaction, under the secret's row lock (see
   * {@link PostgresShardStore#OPTIMISTIC_ATTEMPTS}): while it does, it holds an id, and every later
   * commit waits behind it.
   */
  @Test
  void aStoreWriteStillInsideItsTransactionHoldsBackLaterCommits() throws Exception {
    store.createVault(VAULT, KEY);
    SecretName slowSecret = SecretName.of("slow");
    CountDownLatch inSealer = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger seals = new AtomicInteger();
    Future<WriteOutcome> slow =
        executor.submit(
            () ->
                store.putSecret(
                    VAULT,
                    slowSecret,
                    (key, version) -> {
                      if (seals.incrementAndGet() <= PostgresShardStore.OPTIMISTIC_ATTEMPTS) {
                        // Lose the race, so the put ends up in its transaction.
                        store.putSecret(VAULT, slowSecret, TestSealer.of("winner"));
                        return TestSealer.sealed("slow", version);
                      }
                      // Inside the store's transaction, after its row locks: it has its id.
                      return sealWhenReleased(inSealer, release, version);
                    }));
    assertThat(inSealer.await(30, TimeUnit.SECONDS)).isTrue();
    List<PositionedEvent> winners = reader.readAfter(LogPosition.ZERO, 100);
    assertThat(winners).hasSize(1 + PostgresShardStore.OPTIMISTIC_ATTEMPTS);
    LogPosition lastWinner = winners.get(winners.size() - 1).position();

    try (Connection naive = connect(true)) {
      long slowTx =
          queryLong(
              naive,
              "SELECT backend_xid::text FROM pg_stat_activity"
                  + " WHERE datname = current_database() AND state = 'idle in transaction'");
      WriteOutcome fast = store.putSecret(VAULT, SecretName.of("fast"), TestSealer.of("fast"));
      assertThat(fast.position().txId()).isGreaterThan(slowTx);

      // Ordering by position alone would deliver the fast write now...
      assertThat(positionsAfterWithoutHorizon(naive, lastWinner)).containsExactly(fast.position());
      // ...but the horizon reader waits for the slow transaction.
      assertThat(reader.readAfter(lastWinner, 100)).isEmpty();
      assertThat(reader.read(lastWinner, 100).heldBack()).isTrue();

      release.countDown();
      WriteOutcome slowOutcome = slow.get(30, TimeUnit.SECONDS);

      // The slow write landed below the fast one: a reader without the horizon has passed it.
      assertThat(slowOutcome.position().txId()).isEqualTo(slowTx);
      assertThat(slowOutcome.position()).isLessThan(fast.position());
      assertThat(positionsAfterWithoutHorizon(naive, fast.position())).isEmpty();
      assertThat(reader.readAfter(lastWinner, 100))
          .extracting(PositionedEvent::position)
          .containsExactly(slowOutcome.position(), fast.position());
    }
  }

  /**
   * An uncontended put seals before its write, outside any transaction: a put still sealing holds
   * nothing back, and later commits are delivered at once.
   */
  @Test
  void aPutStillSealingHoldsBackNothing() throws Exception {
    LogPosition vaultCreated = store.createVault(VAULT, KEY).position();
    CountDownLatch inSealer = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Future<WriteOutcome> slow =
        executor.submit(
            () ->
                store.putSecret(
                    VAULT,
                    SecretName.of("slow"),
                    (key, version) -> sealWhenReleased(inSealer, release, version)));
    assertThat(inSealer.await(30, TimeUnit.SECONDS)).isTrue();

    WriteOutcome fast = store.putSecret(VAULT, SecretName.of("fast"), TestSealer.of("fast"));
    Read<PositionedEvent> read = reader.read(vaultCreated, 100);

    assertThat(read.events())
        .extracting(PositionedEvent::position)
        .containsExactly(fast.position());
    assertThat(read.heldBack()).isFalse();
    release.countDown();
    WriteOutcome slowOutcome = slow.get(30, TimeUnit.SECONDS);
    assertThat(slowOutcome.position()).isGreaterThan(fast.position());
    assertThat(reader.readAfter(fast.position(), 100))
        .extracting(PositionedEvent::position)
        .containsExactly(slowOutcome.position());
  }

  /** A sealer's work for a slow put: says it is sealing, then waits for the test to release it. */
  private static SealedSecret sealWhenReleased(
      CountDownLatch sealing, CountDownLatch release, long version) {
    sealing.countDown();
    try {
      assertThat(release.await(30, TimeUnit.SECONDS)).isTrue();
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
    return TestSealer.sealed("slow", version);
  }

  @Test
  void onlyTheLogWritersTransactionsHoldEventsBack() throws SQLException {
    LogPosition vaultCreated = store.createVault(VAULT, KEY).position();
    SecretVersionPut early = ReplicaEvents.put(VAULT_NAME, "early", 1, 1);
    SecretVersionPut late = ReplicaEvents.put(VAULT_NAME, "late", 1, 1);

    try (Connection foreign = connect(false);
        Connection gatedWithoutId = connect(false);
        Connection writer = connect(false);
        Connection other = connect(true)) {
      // The oldest id on the server, held by a transaction that is no log writer.
      long foreignId = ShardTestSupport.currentTxId(foreign);
      // A writer in the gate that has no id yet: any id it takes is newer than what exists now.
      ShardTestSupport.execute(gatedWithoutId, "SELECT log_writer_gate()");
      LogPosition earlyAt = appendRaw(other, early);
      assertThat(earlyAt.txId()).isGreaterThan(foreignId);

      Read<PositionedEvent> read = reader.read(vaultCreated, 100);
      assertThat(read.events()).extracting(PositionedEvent::position).containsExactly(earlyAt);
      assertThat(read.heldBack()).isFalse();
      assertThat(reader.writersHorizonReads()).isEqualTo(1);
      // The server's own horizon is still held by the foreign id.
      assertThat(reader.readablePosition()).isEqualTo(vaultCreated);

      // A writer with an id, open: what commits after it is held back behind it, as ever.
      LogPosition writerAt = appendRaw(writer, ReplicaEvents.put(VAULT_NAME, "open", 1, 1));
      LogPosition lateAt = appendRaw(other, late);
      read = reader.read(earlyAt, 100);
      assertThat(read.events()).isEmpty();
      assertThat(read.heldBack()).isTrue();
      writer.commit();
      assertThat(reader.readAfter(earlyAt, 100))
          .extracting(PositionedEvent::position)
          .containsExactly(writerAt, lateAt);

      // The gate holder takes its id now and appends: newer than everything returned so far.
      LogPosition gatedAt = appendRaw(gatedWithoutId, ReplicaEvents.put(VAULT_NAME, "g", 1, 1));
      assertThat(gatedAt).isGreaterThan(lateAt);
      gatedWithoutId.commit();
      assertThat(reader.readAfter(lateAt, 100))
          .extracting(PositionedEvent::position)
          .containsExactly(gatedAt);
      foreign.rollback();
    }
  }

  @Test
  void anAppendOutsideTheGateOrAGateEnteredTooLateIsRefused() throws SQLException {
    store.createVault(VAULT, KEY);
    try (Connection c = connect(false)) {
      assertThatThrownBy(
              () ->
                  ShardTestSupport.execute(
                      c,
                      "INSERT INTO replication_log (vault, entity, entity_version, payload)"
                          + " VALUES ('v', 'e', 1, '\\x00')"))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("outside the log writers' gate");
      c.rollback();
      ShardTestSupport.currentTxId(c);
      assertThatThrownBy(() -> ShardTestSupport.execute(c, "SELECT log_writer_gate()"))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("before its transaction takes an id");
      c.rollback();
    }
  }

  @Test
  void anAbortedTransactionsEventIsNeverReturned() throws SQLException {
    LogPosition vaultCreated = store.createVault(VAULT, KEY).position();
    SecretVersionPut aborted = ReplicaEvents.put(VAULT_NAME, "aborted", 1, 1);
    SecretVersionPut committed = ReplicaEvents.put(VAULT_NAME, "committed", 1, 1);

    try (Connection a = connect(false);
        Connection b = connect(false)) {
      LogPosition abortedAt = appendRaw(a, aborted);
      LogPosition committedAt = appendRaw(b, committed);
      b.commit();
      assertThat(reader.readAfter(vaultCreated, 100)).isEmpty();

      a.rollback();

      assertThat(reader.readAfter(LogPosition.ZERO, 100))
          .extracting(PositionedEvent::position)
          .containsExactly(vaultCreated, committedAt)
          .doesNotContain(abortedAt);
      assertThat(reader.readAfter(vaultCreated, 100))
          .extracting(PositionedEvent::event)
          .containsExactly(committed);
      assertThat(reader.readablePosition()).isEqualTo(committedAt);
    }
    // A store write whose transaction fails appends nothing either.
    WriteOutcome after = store.putSecret(VAULT, SecretName.of("later"), TestSealer.of("later"));
    assertThat(reader.readAfter(LogPosition.ZERO, 100))
        .extracting(PositionedEvent::event)
        .doesNotContain(aborted)
        .hasSize(3);
    assertThat(reader.readablePosition()).isEqualTo(after.position());
  }

  @Test
  void maxIsRespectedAndPagingByTheLastPositionLosesAndRepeatsNothing() throws SQLException {
    store.createVault(VAULT, KEY);
    for (int i = 0; i < 6; i++) {
      store.putSecret(VAULT, SecretName.of("s" + i), TestSealer.of("v" + i));
    }
    // One transaction with several events: they share the transaction id and differ by seq.
    List<LogPosition> shared = new ArrayList<>();
    try (Connection c = connect(false)) {
      for (int i = 0; i < 4; i++) {
        shared.add(appendRaw(c, ReplicaEvents.put(VAULT_NAME, "batch", i + 1, i + 1)));
      }
      c.commit();
    }
    for (int i = 0; i < 3; i++) {
      store.deleteSecret(VAULT, SecretName.of("s" + i));
    }

    List<PositionedEvent> all = reader.readAfter(LogPosition.ZERO, 1000);
    assertThat(all).hasSize(14);
    assertThat(all).extracting(PositionedEvent::position).isSorted().doesNotHaveDuplicates();
    assertThat(shared).extracting(LogPosition::txId).containsOnly(shared.get(0).txId());
    assertThat(all).extracting(PositionedEvent::position).containsSubsequence(shared);

    for (int max : new int[] {1, 2, 3, 5, 13, 14, 100}) {
      List<PositionedEvent> paged = new ArrayList<>();
      LogPosition after = LogPosition.ZERO;
      while (true) {
        List<PositionedEvent> page = reader.readAfter(after, max);
        assertThat(page).hasSize(Math.min(max, all.size() - paged.size()));
        if (page.isEmpty()) {
          break;
        }
        paged.addAll(page);
        after = page.get(page.size() - 1).position();
      }
      assertThat(paged).as("paging with max %d", max).isEqualTo(all);
    }

    // From any event's position, exactly the events after it.
    for (int i = 0; i < all.size(); i++) {
      assertThat(reader.readAfter(all.get(i).position(), 1000))
          .isEqualTo(all.subList(i + 1, all.size()));
    }
    // Nothing after the last event, nor after the store's horizon.
    LogPosition last = all.get(all.size() - 1).position();
    assertThat(reader.readAfter(last, 1000)).isEmpty();
    assertThat(reader.readAfter(store.position(), 1000)).isEmpty();
    assertThat(reader.readAfter(new LogPosition(last.txId(), Long.MAX_VALUE), 1000)).isEmpty();
  }

  @Test
  void readablePositionIsTheLastEventBelowTheHorizon() throws SQLException {
    assertThat(reader.readablePosition()).isEqualTo(LogPosition.ZERO);
    LogPosition first = store.createVault(VAULT, KEY).position();
    assertThat(reader.readablePosition()).isEqualTo(first);
    LogPosition second = store.putSecret(VAULT, SecretName.of("x"), TestSealer.of("x")).position();
    assertThat(reader.readablePosition()).isEqualTo(second);

    try (Connection open = connect(false)) {
      // An open transaction that has an id, even with no event yet, holds the horizon.
      ShardTestSupport.currentTxId(open);
      LogPosition third = store.putSecret(VAULT, SecretName.of("x"), TestSealer.of("y")).position();
      assertThat(reader.readablePosition()).isEqualTo(second);
      open.commit();
      assertThat(reader.readablePosition()).isEqualTo(third);
    }
  }

  @Test
  void concurrentWritersAndAPagingReaderDeliverEveryCommittedEventExactlyOnce() throws Exception {
    int writers = 4;
    int transactionsEach = 25;
    Set<ReplicationEvent> committed = ConcurrentHashMap.newKeySet();
    AtomicBoolean writing = new AtomicBoolean(true);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<?>> writerTasks = new ArrayList<>();
    for (int w = 0; w < writers; w++) {
      int writer = w;
      writerTasks.add(
          executor.submit(
              () -> {
                try (Connection c = connect(false)) {
                  start.await();
                  ThreadLocalRandom random = ThreadLocalRandom.current();
                  for (int t = 0; t < transactionsEach; t++) {
                    List<ReplicationEvent> events = new ArrayList<>();
                    int count = 1 + random.nextInt(3);
                    for (int e = 0; e < count; e++) {
                      ReplicationEvent event =
                          ReplicaEvents.put(VAULT_NAME, "w" + writer + "-t" + t + "-e" + e, 1, 1);
                      appendRaw(c, event);
                      events.add(event);
                      Thread.sleep(random.nextInt(3));
                    }
                    Thread.sleep(random.nextInt(4));
                    if (random.nextInt(7) == 0) {
                      c.rollback();
                    } else {
                      c.commit();
                      committed.addAll(events);
                    }
                  }
                }
                return null;
              }));
    }
    Future<List<PositionedEvent>> tailing =
        executor.submit(
            () -> {
              List<PositionedEvent> seen = new ArrayList<>();
              LogPosition after = LogPosition.ZERO;
              boolean lastRound = false;
              while (true) {
                // Read the flag before reading the log, so the final round starts after all
                // commits.
                boolean done = !writing.get();
                List<PositionedEvent> page = reader.readAfter(after, 5);
                for (PositionedEvent e : page) {
                  assertThat(e.position()).isGreaterThan(after);
                  after = e.position();
                }
                seen.addAll(page);
                if (page.isEmpty() && lastRound) {
                  return seen;
                }
                lastRound = done;
              }
            });
    start.countDown();
    for (Future<?> writer : writerTasks) {
      writer.get(60, TimeUnit.SECONDS);
    }
    writing.set(false);
    List<PositionedEvent> seen = tailing.get(60, TimeUnit.SECONDS);

    List<ReplicationEvent> seenEvents = seen.stream().map(PositionedEvent::event).toList();
    assertThat(seenEvents).doesNotHaveDuplicates();
    assertThat(new HashSet<>(seenEvents)).isEqualTo(committed);
    assertThat(seen).isEqualTo(reader.readAfter(LogPosition.ZERO, 10_000));
  }

  // --- helpers

  private Connection connect(boolean autoCommit) throws SQLException {
    Connection connection = SHARD.connect();
    connection.setAutoCommit(autoCommit);
    return connection;
  }

  /** The naive outbox reader: rows by seq after the highest seq seen so far. */
  private static List<Long> naiveSeqsAfter(Connection c, long afterSeq) throws SQLException {
    try (PreparedStatement query =
        c.prepareStatement("SELECT seq FROM replication_log WHERE seq > ? ORDER BY seq")) {
      query.setLong(1, afterSeq);
      List<Long> seqs = new ArrayList<>();
      try (ResultSet rs = query.executeQuery()) {
        while (rs.next()) {
          seqs.add(rs.getLong(1));
        }
      }
      return seqs;
    }
  }

  /** The reader's query without its horizon condition. */
  private static List<LogPosition> positionsAfterWithoutHorizon(Connection c, LogPosition after)
      throws SQLException {
    try (PreparedStatement query =
        c.prepareStatement(
            "SELECT tx_id::text, seq FROM replication_log"
                + " WHERE (tx_id, seq) > (CAST(? AS text)::xid8, ?) ORDER BY tx_id, seq")) {
      query.setString(1, Long.toString(after.txId()));
      query.setLong(2, after.seq());
      List<LogPosition> positions = new ArrayList<>();
      try (ResultSet rs = query.executeQuery()) {
        while (rs.next()) {
          positions.add(new LogPosition(Long.parseLong(rs.getString(1)), rs.getLong(2)));
        }
      }
      return positions;
    }
  }

  private static long max(List<Long> values) {
    return values.stream().mapToLong(Long::longValue).max().orElseThrow();
  }
}
