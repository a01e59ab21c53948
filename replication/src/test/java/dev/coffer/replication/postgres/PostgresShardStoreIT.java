package dev.coffer.replication.postgres;

import static dev.coffer.replication.testing.ShardTestSupport.logRowCount;
import static dev.coffer.replication.testing.ShardTestSupport.queryLong;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.coffer.core.crypto.VaultKeyRing;
import dev.coffer.core.crypto.WrappedVaultKey;
import dev.coffer.core.error.CofferException;
import dev.coffer.core.error.ErrorCode;
import dev.coffer.core.event.PositionedEvent;
import dev.coffer.core.event.ReplicationEvent;
import dev.coffer.core.event.SecretDeleted;
import dev.coffer.core.event.SecretStagesChanged;
import dev.coffer.core.event.SecretVersionPut;
import dev.coffer.core.event.VaultCreated;
import dev.coffer.core.model.HostId;
import dev.coffer.core.model.LogPosition;
import dev.coffer.core.model.SecretMetadata;
import dev.coffer.core.model.SecretName;
import dev.coffer.core.model.SecretStage;
import dev.coffer.core.model.SecretVersionRecord;
import dev.coffer.core.model.StageMap;
import dev.coffer.core.model.VaultName;
import dev.coffer.core.model.VaultRecord;
import dev.coffer.core.model.VersionState;
import dev.coffer.core.storage.SecretLookup;
import dev.coffer.core.storage.SecretReadAccessor;
import dev.coffer.core.storage.ShardWriteStore.WriteOutcome;
import dev.coffer.embeddedpostgres.PostgresInstance;
import dev.coffer.embeddedpostgres.PostgresServer;
import dev.coffer.embeddedpostgres.PostgresServers;
import dev.coffer.replication.testing.RoundTripCountingDataSource;
import dev.coffer.replication.testing.ShardStoreExtension;
import dev.coffer.replication.testing.ShardTestSupport;
import dev.coffer.replication.testing.TestSealer;
import dev.coffer.testkit.crypto.FakeVaultKeys;
import dev.coffer.testkit.database.TestDatabases;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.postgresql.ds.PGSimpleDataSource;

/** The shard store against a real PostgreSQL: mutations, their log events, failures. */
class PostgresShardStoreIT {
  private static final VaultName VAULT = VaultName.of("payments");
  private static final VaultName OTHER_VAULT = VaultName.of("payments-eu");
  private static final WrappedVaultKey KEY = key("payments");
  private static final SecretName DB_PASSWORD = SecretName.of("db-password");
  private static final SecretName API_TOKEN = SecretName.of("api.token");

  private ShardDatabase database;
  private PostgresShardStore store;
  private PostgresCellMembership cell;
  private PostgresLogReader reader;

  @RegisterExtension static final ShardStoreExtension SHARD = new ShardStoreExtension();

  @BeforeEach
  void freshShard() {
    database = SHARD.database();
    store = new PostgresShardStore(database);
    reader = new PostgresLogReader(database);
    cell = new PostgresCellMembership(database);
  }

  // --- vaults

  @Test
  void createVaultStoresTheVaultAndADuplicateIsRejected() {
    Instant before = Instant.now().truncatedTo(ChronoUnit.MICROS);
    WriteOutcome created = store.createVault(VAULT, KEY);
    Instant after = Instant.now();

    assertThat(created.version()).isZero();
    assertThat(created.position()).isGreaterThan(LogPosition.ZERO);
    VaultRecord record = store.vault(VAULT).orElseThrow();
    assertThat(record.name()).isEqualTo(VAULT);
    assertThat(record.keys()).isEqualTo(VaultKeyRing.of(KEY));
    assertThat(record.createdAt()).isBetween(before, after);
    assertThat(store.vault(OTHER_VAULT)).isEmpty();

    assertCode(ErrorCode.VAULT_ALREADY_EXISTS, () -> store.createVault(VAULT, key("another")));

    assertThat(store.vault(VAULT)).contains(record);
    assertThat(readAll())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.position()).isEqualTo(created.position());
              assertThat(e.event()).isEqualTo(new VaultCreated(VAULT, 1, KEY, record.createdAt()));
            });
  }

  // --- puts

  @Test
  void putSecretNumbersVersionsFromOneAndSealsWithTheVaultKeyAndVersion() {
    store.createVault(VAULT, KEY);
    LogPosition previous = LogPosition.ZERO;
    for (int i = 1; i <= 3; i++) {
      TestSealer sealer = TestSealer.of("value-" + i);
      WriteOutcome outcome = store.putSecret(VAULT, DB_PASSWORD, sealer);

      assertThat(outcome.version()).isEqualTo(i);
      assertThat(sealer.calls()).containsExactly(new TestSealer.Call(KEY, i));
      assertThat(outcome.position()).isGreaterThan(previous);
      previous = outcome.position();
    }

    SecretVersionRecord latest = store.latest(VAULT, DB_PASSWORD).orElseThrow();
    assertThat(latest.vault()).isEqualTo(VAULT);
    assertThat(latest.secret()).isEqualTo(DB_PASSWORD);
    assertThat(latest.version()).isEqualTo(3);
    assertThat(latest.sealed()).isEqualTo(TestSealer.sealed("value-3", 3));
    for (int i = 1; i <= 3; i++) {
      assertThat(store.version(VAULT, DB_PASSWORD, i))
          .get()
          .satisfies(
              r ->
                  assertThat(r.sealed())
                      .isEqualTo(TestSealer.sealed("value-" + r.version(), r.version())));
    }
    assertThat(store.version(VAULT, DB_PASSWORD, 0)).isEmpty();
    assertThat(store.version(VAULT, DB_PASSWORD, 4)).isEmpty();
    assertThat(store.list(VAULT, Optional.empty(), 10))
        .containsExactly(new SecretMetadata(DB_PASSWORD, 3, latest.createdAt()));
  }

  @Test
  void putToAnUnknownVaultFailsWithoutCallingTheSealerOrAppendingAnything() throws SQLException {
    WriteOutcome created = store.createVault(VAULT, KEY);
    TestSealer sealer = TestSealer.of("value");

    assertCode(ErrorCode.VAULT_NOT_FOUND, () -> store.putSecret(OTHER_VAULT, DB_PASSWORD, sealer));
    assertCode(ErrorCode.VAULT_NOT_FOUND, () -> store.deleteSecret(OTHER_VAULT, DB_PASSWORD));

    assertThat(sealer.calls()).isEmpty();
    assertThat(reader.readAfter(created.position(), 100)).isEmpty();
    try (Connection c = SHARD.connect()) {
      assertThat(logRowCount(c)).isEqualTo(1);
      assertThat(queryLong(c, "SELECT count(*) FROM secrets")).isZero();
    }
    assertThat(store.latest(OTHER_VAULT, DB_PASSWORD)).isEmpty();
    assertThat(store.list(OTHER_VAULT, Optional.empty(), 10)).isEmpty();
  }

  /**
   * The version row is inserted by the log append's own statement: it must carry that append's
   * position (activation compares it with what the hosts applied), the vault key version the sealer
   * was handed, and start PENDING.
   */
  @Test
  void aPutsVersionRowRecordsItsEventsPositionAndTheSealersKeyVersion() throws SQLException {
    WrappedVaultKey third =
        FakeVaultKeys.version(3, "wrapped-key/third".getBytes(StandardCharsets.UTF_8));
    store.createVault(VAULT, third);
    TestSealer sealer = TestSealer.of("one");
    WriteOutcome first = store.putSecret(VAULT, DB_PASSWORD, sealer);
    WriteOutcome second =
        store.putSecret(VAULT, DB_PASSWORD, SecretStage.PENDING, TestSealer.of("two"));

    assertThat(sealer.calls()).containsExactly(new TestSealer.Call(third, 1));
    assertThat(readAll())
        .extracting(PositionedEvent::position)
        .endsWith(first.position(), second.position());
    try (Connection c = SHARD.connect();
        PreparedStatement query =
            c.prepareStatement(
                "SELECT version, log_tx, log_seq, vault_key_version, entity_version"
                    + " FROM secret_versions WHERE vault = ? AND secret = ? ORDER BY version")) {
      query.setString(1, VAULT.value());
      query.setString(2, DB_PASSWORD.value());
      try (ResultSet rs = query.executeQuery()) {
        for (WriteOutcome outcome : List.of(first, second)) {
          assertThat(rs.next()).isTrue();
          assertThat(rs.getLong("version")).isEqualTo(outcome.version());
          assertThat(new LogPosition(rs.getLong("log_tx"), rs.getLong("log_seq")))
              .isEqualTo(outcome.position());
          assertThat(rs.getInt("vault_key_version")).isEqualTo(3);
          assertThat(rs.getLong("entity_version")).isEqualTo(outcome.version());
        }
        assertThat(rs.next()).isFalse();
      }
    }
    assertThat(store.versionState(VAULT, DB_PASSWORD, first.version()))
        .as("no host has applied it")
        .contains(VersionState.PENDING);
  }

  /**
   * A put is a read of the counters and one autocommit statement (secret row, version row, log
   * event), with no commit round trip; a lookup of a version with its vault and stages is one
   * statement on one connection.
   */
  @Test
  void aPutIsTwoRoundTripsWithoutATransactionAndALookupIsOne() {
    RoundTripCountingDataSource counting = new RoundTripCountingDataSource(SHARD.dataSource());
    PostgresShardStore counted = new PostgresShardStore(ShardDatabase.validated(counting));
    counted.createVault(VAULT, KEY);
    counted.putSecret(VAULT, DB_PASSWORD, TestSealer.of("one"));

    counting.reset();
    WriteOutcome put = counted.putSecret(VAULT, DB_PASSWORD, TestSealer.of("two"));

    assertThat(put.version()).isEqualTo(2);
    assertThat(counting.connections()).isEqualTo(1);
    assertThat(counting.executions()).isEqualTo(2);
    assertThat(counting.commits()).isZero();

    counting.reset();
    SecretLookup byStage = counted.lookup(VAULT, DB_PASSWORD, SecretStage.PREVIOUS).orElseThrow();

    assertThat(byStage.version().orElseThrow().version()).isEqualTo(1);
    assertThat(byStage.stages()).contains(new StageMap(2, 1, 0));
    assertThat(counting.connections()).isEqualTo(1);
    assertThat(counting.roundTrips()).isEqualTo(1);

    counting.reset();
    SecretLookup byNumber = counted.lookup(VAULT, DB_PASSWORD, 2).orElseThrow();

    assertThat(byNumber.version().orElseThrow().sealed()).isEqualTo(TestSealer.sealed("two", 2));
    assertThat(counting.connections()).isEqualTo(1);
    assertThat(counting.roundTrips()).isEqualTo(1);
  }

  /**
   * A put holds no lock and no transaction while its sealer runs: another put of the same secret
   * can complete meanwhile (under a held row lock it would wait forever here, on the same thread),
   * and the first put then seals again for the next number instead of overwriting the other's.
   */
  @Test
  void aPutThatLosesARaceWhileSealingSealsAgainForTheNextVersion() throws SQLException {
    store.createVault(VAULT, KEY);
    store.putSecret(VAULT, DB_PASSWORD, TestSealer.of("one"));
    List<Long> sealedFor = new ArrayList<>();

    WriteOutcome slow =
        store.putSecret(
            VAULT,
            DB_PASSWORD,
            (key, version) -> {
              sealedFor.add(version);
              if (sealedFor.size() == 1) {
                assertThat(store.putSecret(VAULT, DB_PASSWORD, TestSealer.of("fast")).version())
                    .isEqualTo(2);
              }
              return TestSealer.sealed("slow", version);
            });

    assertThat(sealedFor).containsExactly(2L, 3L);
    assertThat(slow.version()).isEqualTo(3);
    assertThat(slow.stages()).isEqualTo(new StageMap(3, 2, 0));
    assertThat(store.version(VAULT, DB_PASSWORD, 2).orElseThrow().sealed())
        .isEqualTo(TestSealer.sealed("fast", 2));
    assertThat(store.version(VAULT, DB_PASSWORD, 3).orElseThrow().sealed())
        .isEqualTo(TestSealer.sealed("slow", 3));
    List<SecretVersionPut> puts =
        readAll().stream()
            .map(PositionedEvent::event)
            .filter(SecretVersionPut.class::isInstance)
            .map(SecretVersionPut.class::cast)
            .toList();
    assertThat(puts)
        .extracting(SecretVersionPut::version, SecretVersionPut::entityVersion)
        .containsExactly(tuple(1L, 1L), tuple(2L, 2L), tuple(3L, 3L));
    assertThat(puts.get(2).stages()).isEqualTo(new StageMap(3, 2, 0));
    try (Connection c = SHARD.connect()) {
      assertThat(queryLong(c, "SELECT count(*) FROM secret_versions")).isEqualTo(3);
    }
  }

  /**
   * A key rotation between a put's read and its write changes the vault's ring: the put seals again
   * under the new primary, so it never commits a row under a key the ring may have dropped since
   * (key rotation's DataKeysOpenable, docs/key-rotation.md).
   */
  @Test
  void aPutRacingAKeyRotationSealsAgainUnderTheNewPrimary() throws SQLException {
    store.createVault(VAULT, KEY);
    PostgresVaultKeyStore keys = new PostgresVaultKeyStore(database);
    List<TestSealer.Call> calls = new ArrayList<>();

    WriteOutcome put =
        store.putSecret(
            VAULT,
            DB_PASSWORD,
            (key, version) -> {
              calls.add(new TestSealer.Call(key, version));
              if (calls.size() == 1) {
                keys.rotate(
                    VAULT,
                    v ->
                        FakeVaultKeys.version(
                            v, ("rotated/" + v).getBytes(StandardCharsets.UTF_8)));
              }
              return TestSealer.sealed("value", version);
            });

    assertThat(put.version()).isEqualTo(1);
    assertThat(calls).extracting(c -> c.key().version()).containsExactly(1, 2);
    assertThat(calls).extracting(TestSealer.Call::version).containsExactly(1L, 1L);
    try (Connection c = SHARD.connect()) {
      assertThat(queryLong(c, "SELECT vault_key_version FROM secret_versions")).isEqualTo(2);
      assertThat(queryLong(c, "SELECT count(*) FROM secret_versions")).isEqualTo(1);
    }
  }

  /**
   * A put that keeps losing falls back to sealing under the secret's row lock, where no other
   * writer can take its number: the sealer's last call finds the row locked.
   */
  @Test
  void aPutThatKeepsLosingSealsUnderTheRowLock() throws SQLException {
    store.createVault(VAULT, KEY);
    store.putSecret(VAULT, DB_PASSWORD, TestSealer.of("one"));
    int attempts = PostgresShardStore.OPTIMISTIC_ATTEMPTS;
    List<Long> sealedFor = new ArrayList<>();
    List<String> lockSeen = new ArrayList<>();

    try (Connection probe = SHARD.connect()) {
      WriteOutcome loser =
          store.putSecret(
              VAULT,
              DB_PASSWORD,
              (key, version) -> {
                sealedFor.add(version);
                if (sealedFor.size() <= attempts) {
                  store.putSecret(VAULT, DB_PASSWORD, TestSealer.of("winner"));
                } else {
                  lockSeen.add(rowLockState(probe));
                }
                return TestSealer.sealed("loser", version);
              });

      // Each loss sealed for the number a winner then took; the locked attempt for the next one.
      assertThat(sealedFor)
          .containsExactlyElementsOf(LongStream.rangeClosed(2, attempts + 2).boxed().toList());
      assertThat(loser.version()).isEqualTo(attempts + 2L);
      assertThat(lockSeen).containsExactly("55P03");
      assertThat(rowLockState(probe)).as("released at commit").isEqualTo("free");
    }
    assertThat(store.latest(VAULT, DB_PASSWORD).orElseThrow().version()).isEqualTo(attempts + 2L);
  }

  /** Whether the secret's row is locked, tried without waiting: "free" or the SQL state. */
  private static String rowLockState(Connection probe) {
    try (Statement statement = probe.createStatement()) {
      statement.execute("SELECT 1 FROM secrets WHERE name = 'db-password' FOR UPDATE NOWAIT");
      return "free";
    } catch (SQLException e) {
      return e.getSQLState();
    }
  }

  // --- deletes

  @Test
  void deleteHidesTheSecretAndASecondDeleteFindsNothing() throws SQLException {
    store.createVault(VAULT, KEY);
    for (int i = 1; i <= 3; i++) {
      store.putSecret(VAULT, DB_PASSWORD, TestSealer.of("value-" + i));
    }
    WriteOutcome other = store.putSecret(VAULT, API_TOKEN, TestSealer.of("token"));

    WriteOutcome deleted = store.deleteSecret(VAULT, DB_PASSWORD);

    assertThat(deleted.version()).isZero();
    assertThat(deleted.position()).isGreaterThan(other.position());
    assertThat(store.latest(VAULT, DB_PASSWORD)).isEmpty();
    for (int i = 0; i <= 4; i++) {
      assertThat(store.version(VAULT, DB_PASSWORD, i)).isEmpty();
    }
    assertThat(store.list(VAULT, Optional.empty(), 10))
        .extracting(SecretMetadata::name)
        .containsExactly(API_TOKEN);
    assertThat(store.latest(VAULT, API_TOKEN)).isPresent();

    assertCode(ErrorCode.SECRET_NOT_FOUND, () -> store.deleteSecret(VAULT, DB_PASSWORD));
    assertCode(
        ErrorCode.SECRET_NOT_FOUND,
        () -> store.deleteSecret(VAULT, SecretName.of("never-written")));
    assertThat(reader.readAfter(deleted.position(), 100)).isEmpty();
    try (Connection c = SHARD.connect()) {
      assertThat(queryLong(c, "SELECT count(*) FROM secret_versions WHERE secret = 'db-password'"))
          .isZero();
    }
  }

  @Test
  void aPutAfterADeleteContinuesTheVersionNumbers() {
    store.createVault(VAULT, KEY);
    for (int i = 1; i <= 3; i++) {
      store.putSecret(VAULT, DB_PASSWORD, TestSealer.of("value-" + i));
    }
    store.deleteSecret(VAULT, DB_PASSWORD);
    TestSealer sealer = TestSealer.of("reborn");

    WriteOutcome reborn = store.putSecret(VAULT, DB_PASSWORD, sealer);

    assertThat(reborn.version()).isEqualTo(4);
    assertThat(sealer.calls()).containsExactly(new TestSealer.Call(KEY, 4));
    SecretVersionRecord latest = store.latest(VAULT, DB_PASSWORD).orElseThrow();
    assertThat(latest.version()).isEqualTo(4);
    assertThat(latest.sealed()).isEqualTo(TestSealer.sealed("reborn", 4));
    for (int i = 1; i <= 3; i++) {
      assertThat(store.version(VAULT, DB_PASSWORD, i)).isEmpty();
    }
    assertThat(store.list(VAULT, Optional.empty(), 10))
        .containsExactly(new SecretMetadata(DB_PASSWORD, 4, latest.createdAt()));
    // Entity versions count every mutation: three puts, the delete, the new put.
    List<PositionedEvent> log = readAll();
    assertThat(log.get(log.size() - 1).event())
        .isInstanceOfSatisfying(
            SecretVersionPut.class,
            e -> {
              assertThat(e.entityVersion()).isEqualTo(5);
              assertThat(e.version()).isEqualTo(4);
            });
  }

  // --- listing

  @Test
  void listPagesThroughLiveSecretsInByteOrder() {
    store.createVault(VAULT, KEY);
    store.createVault(OTHER_VAULT, key("other"));
    List<String> names =
        List.of(
            "b", "B", "a", "A", "a.b", "a-b", "a_b", "a0", "a9", "0", "9", "Z", "z", "zz-top",
            "a.b.c", "a-", "a.", "a_");
    for (String name : names) {
      store.putSecret(VAULT, SecretName.of(name), TestSealer.of(name));
    }
    store.putSecret(VAULT, SecretName.of("a0"), TestSealer.of("a0 again"));
    store.putSecret(VAULT, SecretName.of("gone"), TestSealer.of("gone"));
    store.deleteSecret(VAULT, SecretName.of("gone"));
    // Names in another vault that would sort in between must not appear.
    store.putSecret(OTHER_VAULT, SecretName.of("a1"), TestSealer.of("elsewhere"));
    store.putSecret(OTHER_VAULT, SecretName.of("gone"), TestSealer.of("elsewhere"));

    List<String> byteOrder = new ArrayList<>(names);
    byteOrder.sort(
        Comparator.comparing(
            n -> n.getBytes(StandardCharsets.US_ASCII), java.util.Arrays::compareUnsigned));
    List<SecretMetadata> expected = new ArrayList<>();
    for (String name : byteOrder) {
      SecretVersionRecord latest = store.latest(VAULT, SecretName.of(name)).orElseThrow();
      expected.add(new SecretMetadata(SecretName.of(name), latest.version(), latest.createdAt()));
    }

    assertThat(store.list(VAULT, Optional.empty(), SecretReadAccessor.MAX_LIST_LIMIT))
        .isEqualTo(expected);
    List<SecretMetadata> paged = new ArrayList<>();
    Optional<SecretName> after = Optional.empty();
    int pages = 0;
    while (true) {
      List<SecretMetadata> page = store.list(VAULT, after, 4);
      assertThat(page.size()).isLessThanOrEqualTo(4);
      paged.addAll(page);
      pages++;
      if (page.size() < 4) {
        break;
      }
      after = Optional.of(page.get(page.size() - 1).name());
    }
    assertThat(paged).isEqualTo(expected);
    assertThat(pages).isEqualTo(expected.size() / 4 + 1);
    assertThat(expected)
        .filteredOn(m -> m.name().value().equals("a0"))
        .singleElement()
        .extracting(SecretMetadata::latestVersion)
        .isEqualTo(2L);
    // After a name that is not stored: the page starts at the next stored one.
    assertThat(store.list(VAULT, Optional.of(SecretName.of("a1")), 2))
        .extracting(m -> m.name().value())
        .containsExactly("a9", "a_");
    assertThat(store.list(VAULT, Optional.of(SecretName.of("a")), 3))
        .extracting(m -> m.name().value())
        .containsExactly("a-", "a-b", "a.");
    assertThat(store.list(VAULT, Optional.of(SecretName.of("zz-top")), 3)).isEmpty();
    assertThat(store.list(VaultName.of("nowhere"), Optional.empty(), 3)).isEmpty();
    assertThatThrownBy(() -> store.list(VAULT, Optional.empty(), 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> store.list(VAULT, Optional.empty(), SecretReadAccessor.MAX_LIST_LIMIT + 1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  // --- the log

  @Test
  void everyMutationAppendsExactlyOneEventDescribingIt() throws SQLException {
    List<WriteOutcome> outcomes = new ArrayList<>();
    LogPosition last = LogPosition.ZERO;

    WriteOutcome created = store.createVault(VAULT, KEY);
    last =
        expectOneEvent(
            last,
            created,
            new VaultCreated(VAULT, 1, KEY, store.vault(VAULT).orElseThrow().createdAt()));
    outcomes.add(created);

    WriteOutcome first = store.putSecret(VAULT, DB_PASSWORD, TestSealer.of("one"));
    last =
        expectOneEvent(last, first, expectedPut(DB_PASSWORD, 1, 1, "one", new StageMap(1, 0, 0)));
    outcomes.add(first);

    WriteOutcome second = store.putSecret(VAULT, DB_PASSWORD, TestSealer.of("two"));
    last =
        expectOneEvent(last, second, expectedPut(DB_PASSWORD, 2, 2, "two", new StageMap(2, 1, 0)));
    outcomes.add(second);

    WriteOutcome token = store.putSecret(VAULT, API_TOKEN, TestSealer.of("token"));
    last =
        expectOneEvent(last, token, expectedPut(API_TOKEN, 1, 1, "token", new StageMap(1, 0, 0)));
    outcomes.add(token);

    // Failed mutations append nothing.
    assertCode(ErrorCode.VAULT_ALREADY_EXISTS, () -> store.createVault(VAULT, KEY));
    assertCode(
        ErrorCode.VAULT_NOT_FOUND,
        () -> store.putSecret(OTHER_VAULT, API_TOKEN, TestSealer.of("x")));
    assertCode(ErrorCode.SECRET_NOT_FOUND, () -> store.deleteSecret(VAULT, SecretName.of("nope")));
    assertThat(reader.readAfter(last, 100)).isEmpty();

    WriteOutcome deleted = store.deleteSecret(VAULT, DB_PASSWORD);
    last =
        expectOneEvent(
            last, deleted, new SecretDeleted(VAULT, DB_PASSWORD, 3, deletedAt(DB_PASSWORD)));
    outcomes.add(deleted);

    WriteOutcome third = store.putSecret(VAULT, DB_PASSWORD, TestSealer.of("three"));
    last =
        expectOneEvent(last, third, expectedPut(DB_PASSWORD, 4, 3, "three", new StageMap(3, 0, 0)));
    outcomes.add(third);

    WriteOutcome tokenDeleted = store.deleteSecret(VAULT, API_TOKEN);
    last =
        expectOneEvent(
            last, tokenDeleted, new SecretDeleted(VAULT, API_TOKEN, 2, deletedAt(API_TOKEN)));
    outcomes.add(tokenDeleted);

    WriteOutcome otherVault = store.createVault(OTHER_VAULT, key("other"));
    expectOneEvent(
        last,
        otherVault,
        new VaultCreated(
            OTHER_VAULT, 1, key("other"), store.vault(OTHER_VAULT).orElseThrow().createdAt()));
    outcomes.add(otherVault);

    List<PositionedEvent> all = readAll();
    assertThat(all)
        .extracting(PositionedEvent::position)
        .containsExactlyElementsOf(outcomes.stream().map(WriteOutcome::position).toList());
    try (Connection c = SHARD.connect();
        PreparedStatement columns =
            c.prepareStatement(
                "SELECT vault, entity, entity_version FROM replication_log ORDER BY tx_id, seq");
        ResultSet rs = columns.executeQuery()) {
      for (PositionedEvent e : all) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).isEqualTo(e.event().vault().value());
        assertThat(rs.getString(2)).isEqualTo(e.event().entity());
        assertThat(rs.getLong(3)).isEqualTo(e.event().entityVersion());
      }
      assertThat(rs.next()).isFalse();
    }
  }

  @Test
  void aSealerThatThrowsRollsBackTheWholeWrite() throws SQLException {
    store.createVault(VAULT, KEY);
    WriteOutcome first = store.putSecret(VAULT, DB_PASSWORD, TestSealer.of("one"));
    String counters =
        "SELECT entity_version * 1000000 + last_version FROM secrets WHERE name = 'db-password'";
    long countersBefore;
    long rowsBefore;
    try (Connection c = SHARD.connect()) {
      countersBefore = queryLong(c, counters);
      rowsBefore = logRowCount(c);
    }

    IllegalStateException boom = new IllegalStateException("root key unavailable");
    assertThatThrownBy(() -> store.putSecret(VAULT, DB_PASSWORD, TestSealer.failing(boom)))
        .isSameAs(boom);
    CofferException refused =
        new CofferException(ErrorCode.INTERNAL_ERROR, "The secret could not be encrypted.");
    assertThatThrownBy(() -> store.putSecret(VAULT, DB_PASSWORD, TestSealer.failing(refused)))
        .isSameAs(refused);
    SecretName fresh = SecretName.of("fresh");
    assertThatThrownBy(() -> store.putSecret(VAULT, fresh, TestSealer.failing(boom)))
        .isSameAs(boom);

    try (Connection c = SHARD.connect()) {
      assertThat(queryLong(c, counters)).isEqualTo(countersBefore);
      assertThat(logRowCount(c)).isEqualTo(rowsBefore);
      assertThat(queryLong(c, "SELECT count(*) FROM secret_versions")).isEqualTo(1);
      assertThat(queryLong(c, "SELECT count(*) FROM secrets WHERE name = 'fresh'")).isZero();
    }
    assertThat(reader.readAfter(first.position(), 100)).isEmpty();
    assertThat(store.version(VAULT, DB_PASSWORD, 2)).isEmpty();
    assertThat(store.latest(VAULT, fresh)).isEmpty();
    assertThat(store.list(VAULT, Optional.empty(), 10))
        .extracting(SecretMetadata::name)
        .containsExactly(DB_PASSWORD);

    // The failed attempts used up no numbers.
    WriteOutcome second = store.putSecret(VAULT, DB_PASSWORD, TestSealer.of("two"));
    assertThat(second.version()).isEqualTo(2);
    assertThat(reader.readAfter(first.position(), 100))
        .singleElement()
        .extracting(PositionedEvent::event)
        .isEqualTo(expectedPut(DB_PASSWORD, 2, 2, "two", new StageMap(2, 1, 0)));
  }

  // --- stages (application-level; not the activation state of secret_versions)

  @Test
  void putsMoveStagesAndEachEventCarriesTheMapAfterIt() {
    store.createVault(VAULT, KEY);
    WriteOutcome first = store.putSecret(VAULT, DB_PASSWORD, TestSealer.of("one"));
    WriteOutcome pending =
        store.putSecret(VAULT, DB_PASSWORD, SecretStage.PENDING, TestSealer.of("two"));
    WriteOutcome direct = store.putSecret(VAULT, DB_PASSWORD, TestSealer.of("three"));
    WriteOutcome replaced =
        store.putSecret(VAULT, DB_PASSWORD, SecretStage.PENDING, TestSealer.of("four"));

    assertThat(first.stages()).isEqualTo(new StageMap(1, 0, 0));
    assertThat(pending.stages()).isEqualTo(new StageMap(1, 0, 2));
    // A direct CURRENT put leaves the rotation's PENDING version where it was.
    assertThat(direct.stages()).isEqualTo(new StageMap(3, 1, 2));
    assertThat(replaced.stages()).isEqualTo(new StageMap(3, 1, 4));
    assertThat(store.stages(VAULT, DB_PASSWORD)).contains(new StageMap(3, 1, 4));
    assertThat(readAll())
        .extracting(PositionedEvent::event)
        .filteredOn(SecretVersionPut.class::isInstance)
        .extracting(e -> ((SecretVersionPut) e).stages())
        .containsExactly(
            new StageMap(1, 0, 0),
            new StageMap(1, 0, 2),
            new StageMap(3, 1, 2),
            new StageMap(3, 1, 4));
    assertThatThrownBy(
            () -> store.putSecret(VAULT, DB_PASSWORD, SecretStage.PREVIOUS, TestSealer.of("x")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aPendingPutOfANewSecretHasNoCurrentVersion() {
    store.createVault(VAULT, KEY);

    WriteOutcome outcome =
        store.putSecret(VAULT, DB_PASSWORD, SecretStage.PENDING, TestSealer.of("one"));

    assertThat(outcome.stages()).isEqualTo(new StageMap(0, 0, 1));
    assertThat(store.stages(VAULT, DB_PASSWORD)).contains(new StageMap(0, 0, 1));
    assertThat(store.latest(VAULT, DB_PASSWORD).orElseThrow().version()).isEqualTo(1);
  }

  @Test
  void promoteMakesAVersionCurrentAndAppendsTheNewMap() throws SQLException {
    store.createVault(VAULT, KEY);
    store.putSecret(VAULT, DB_PASSWORD, TestSealer.of("one"));
    WriteOutcome pending =
        store.putSecret(VAULT, DB_PASSWORD, SecretStage.PENDING, TestSealer.of("two"));

    WriteOutcome promoted = store.promoteToCurrent(VAULT, DB_PASSWORD, 2);

    assertThat(promoted.version()).isEqualTo(2);
    assertThat(promoted.stages()).isEqualTo(new StageMap(2, 1, 0));
    assertThat(store.stages(VAULT, DB_PASSWORD)).contains(new StageMap(2, 1, 0));
    assertThat(reader.readAfter(pending.position(), 100))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.position()).isEqualTo(promoted.position());
              assertThat(e.event())
                  .isInstanceOfSatisfying(
                      SecretStagesChanged.class,
                      changed -> {
                        assertThat(changed.entityVersion()).isEqualTo(3);
                        assertThat(changed.stages()).isEqualTo(new StageMap(2, 1, 0));
                      });
            });

    // Rolling back to the PREVIOUS version is a promotion like any other.
    assertThat(store.promoteToCurrent(VAULT, DB_PASSWORD, 1).stages())
        .isEqualTo(new StageMap(1, 2, 0));
    // A version in no stage can be promoted too.
    store.putSecret(VAULT, DB_PASSWORD, TestSealer.of("three"));
    assertThat(store.stages(VAULT, DB_PASSWORD)).contains(new StageMap(3, 1, 0));
    assertThat(store.promoteToCurrent(VAULT, DB_PASSWORD, 2).stages())
        .isEqualTo(new StageMap(2, 3, 0));
  }

  @Test
  void promotingTheCurrentVersionAgainChangesNoStageButAnswersWithAToken() {
    store.createVault(VAULT, KEY);
    store.putSecret(VAULT, DB_PASSWORD, TestSealer.of("one"));
    WriteOutcome first = store.promoteToCurrent(VAULT, DB_PASSWORD, 1);

    WriteOutcome again = store.promoteToCurrent(VAULT, DB_PASSWORD, 1);

    assertThat(first.stages()).isEqualTo(new StageMap(1, 0, 0));
    assertThat(again.stages()).isEqualTo(new StageMap(1, 0, 0));
    assertThat(again.position()).isGreaterThan(first.position());
    assertThat(store.stages(VAULT, DB_PASSWORD)).contains(new StageMap(1, 0, 0));
  }

  @Test
  void promoteRejectsWhatDoesNotExistAndAppendsNothing() {
    WriteOutcome created = store.createVault(VAULT, KEY);
    assertCode(ErrorCode.VAULT_NOT_FOUND, () -> store.promoteToCurrent(OTHER_VAULT, API_TOKEN, 1));
    assertCode(ErrorCode.SECRET_NOT_FOUND, () -> store.promoteToCurrent(VAULT, API_TOKEN, 1));
    WriteOutcome put = store.putSecret(VAULT, DB_PASSWORD, TestSealer.of("one"));
    assertCode(ErrorCode.VERSION_NOT_FOUND, () -> store.promoteToCurrent(VAULT, DB_PASSWORD, 2));
    store.putSecret(VAULT, DB_PASSWORD, TestSealer.of("two"));
    WriteOutcome deleted = store.deleteSecret(VAULT, DB_PASSWORD);
    assertCode(ErrorCode.SECRET_NOT_FOUND, () -> store.promoteToCurrent(VAULT, DB_PASSWORD, 2));

    assertThat(readAll())
        .extracting(PositionedEvent::position)
        .contains(created.position(), put.position())
        .last()
        .isEqualTo(deleted.position());
    assertThat(store.stages(VAULT, DB_PASSWORD)).isEmpty();
    // After the delete, versions continue from 3 and the map starts afresh.
    assertThat(store.putSecret(VAULT, DB_PASSWORD, TestSealer.of("three")).stages())
        .isEqualTo(new StageMap(3, 0, 0));
    assertCode(ErrorCode.VERSION_NOT_FOUND, () -> store.promoteToCurrent(VAULT, DB_PASSWORD, 1));
  }

  /** Rows written before stages existed: the latest live version is CURRENT, nothing else. */
  @Test
  void theStagesMigrationMakesEachLiveSecretsLastVersionCurrent(TestInfo test) throws SQLException {
    PostgresShardStore migrated =
        migratedFrom(
            test,
            "3",
            "INSERT INTO vaults VALUES ('v', 'k'::bytea, 1, now());"
                + " INSERT INTO secrets (vault, name, entity_version, last_version, created_at,"
                + " updated_at) VALUES ('v', 'live', 2, 2, now(), now());"
                + " INSERT INTO secrets (vault, name, entity_version, last_version, deleted_at,"
                + " created_at, updated_at, tombstone_entity_version)"
                + " VALUES ('v', 'gone', 3, 2, now(), now(), now(), 3);"
                + " INSERT INTO secret_versions (vault, secret, version, entity_version, created_at,"
                + " wrapped_data_key, ciphertext) VALUES ('v', 'live', 1, 1, now(), 'd'::bytea,"
                + " 'c'::bytea), ('v', 'live', 2, 2, now(), 'd'::bytea, 'c'::bytea)");

    assertThat(migrated.stages(VaultName.of("v"), SecretName.of("live")))
        .contains(new StageMap(2, 0, 0));
    assertThat(migrated.stages(VaultName.of("v"), SecretName.of("gone"))).isEmpty();
    assertThat(migrated.versionState(VaultName.of("v"), SecretName.of("live"), 1))
        .as("written before activation existed, so served already")
        .contains(VersionState.ACTIVE);
    assertThat(migrated.promoteToCurrent(VaultName.of("v"), SecretName.of("live"), 1).stages())
        .isEqualTo(new StageMap(1, 2, 0));
  }

  /**
   * The activation state was stored per version until V6 and is derived from the watermark since: a
   * version promoted before the migration must stay ACTIVE and one still PENDING stay PENDING.
   */
  @Test
  void theWatermarkMigrationKeepsEveryVersionsActivationState(TestInfo test) throws SQLException {
    PostgresShardStore migrated =
        migratedFrom(
            test,
            "5",
            "INSERT INTO vaults VALUES ('v', 'k'::bytea, 1, now());"
                + " INSERT INTO secrets (vault, name, entity_version, last_version, created_at,"
                + " updated_at) VALUES ('v', 's', 3, 3, now(), now());"
                + " INSERT INTO secret_versions (vault, secret, version, entity_version, created_at,"
                + " wrapped_data_key, ciphertext, state, log_tx, log_seq) VALUES"
                + " ('v', 's', 1, 1, now(), 'd'::bytea, 'c'::bytea, 'ACTIVE', 0, 0),"
                + " ('v', 's', 2, 2, now(), 'd'::bytea, 'c'::bytea, 'ACTIVE', 900, 2),"
                + " ('v', 's', 3, 3, now(), 'd'::bytea, 'c'::bytea, 'PENDING', 901, 1);"
                + " UPDATE cell_activation SET activated_tx = 900, activated_seq = 2");

    VaultName vault = VaultName.of("v");
    SecretName secret = SecretName.of("s");
    assertThat(migrated.versionState(vault, secret, 1)).contains(VersionState.ACTIVE);
    assertThat(migrated.versionState(vault, secret, 2)).contains(VersionState.ACTIVE);
    assertThat(migrated.versionState(vault, secret, 3)).contains(VersionState.PENDING);
    assertThat(migrated.versionState(vault, secret, 4)).isEmpty();
  }

  /**
   * Autovacuum's ANALYZE samples 300 rows per unit of the largest statistics target among a table's
   * columns: one column left at the default (100) brings back the 30,000-row sample whose CPU,
   * every minute on every shard server at once, showed in the hosts' apply lag (V7).
   */
  @Test
  void everyColumnOfTheLogAndTheVersionsSamplesSmallForStatistics() throws SQLException {
    try (Connection c = SHARD.connect();
        var statement =
            c.prepareStatement(
                "SELECT attrelid::regclass::text, attname FROM pg_attribute"
                    + " WHERE attrelid IN ('replication_log'::regclass, 'secret_versions'::regclass)"
                    + " AND attnum > 0 AND NOT attisdropped"
                    + " AND (attstattarget IS NULL OR attstattarget < 0 OR attstattarget > 10)");
        var rs = statement.executeQuery()) {
      List<String> defaults = new ArrayList<>();
      while (rs.next()) {
        defaults.add(rs.getString(1) + "." + rs.getString(2));
      }
      assertThat(defaults).as("columns at the default statistics target").isEmpty();
    }
  }

  /**
   * A shard store migrated to the newest schema from one an older build left: the schema stops at
   * migration {@code target}, {@code rows} (SQL) are written in it, then every later migration
   * runs.
   */
  private PostgresShardStore migratedFrom(TestInfo test, String target, String rows)
      throws SQLException {
    String name = TestDatabases.create(SHARD.server(), test);
    PGSimpleDataSource older = TestDatabases.dataSource(SHARD.server(), name);
    org.flywaydb.core.Flyway.configure()
        .dataSource(older)
        .locations("classpath:db/shard")
        .table("coffer_shard_schema_history")
        .target(target)
        .load()
        .migrate();
    try (Connection c = SHARD.server().connect(name)) {
      ShardTestSupport.execute(c, rows);
    }
    return new PostgresShardStore(ShardDatabase.migrate(older));
  }

  // --- concurrency

  @Test
  void concurrentPutsToOneSecretGetEveryVersionExactlyOnce() throws Exception {
    store.createVault(VAULT, KEY);
    int threads = 8;
    int putsEach = 50;
    Queue<Long> versions = new ConcurrentLinkedQueue<>();
    runConcurrently(
        threads,
        thread -> {
          for (int i = 0; i < putsEach; i++) {
            TestSealer sealer = TestSealer.of("t" + thread + "-" + i);
            WriteOutcome outcome = store.putSecret(VAULT, DB_PASSWORD, sealer);
            // A put that lost a race sealed again for the next number; the last seal is stored.
            assertThat(sealer.calls())
                .hasSizeLessThanOrEqualTo(PostgresShardStore.OPTIMISTIC_ATTEMPTS + 1)
                .last()
                .isEqualTo(new TestSealer.Call(KEY, outcome.version()));
            versions.add(outcome.version());
          }
        });

    long total = (long) threads * putsEach;
    assertThat(versions.stream().sorted().toList())
        .containsExactlyElementsOf(LongStream.rangeClosed(1, total).boxed().toList());
    assertThat(store.latest(VAULT, DB_PASSWORD).orElseThrow().version()).isEqualTo(total);
    List<PositionedEvent> events = readAll();
    assertThat(events).hasSize((int) total + 1);
    // Every put logged its own version once. Log order is transaction-id order, and a writer gets
    // its id (at the vault row lock) before it queues for the secret's row lock, so one secret's
    // events need not be in version order in the log: replicas order them by entity version.
    List<SecretVersionPut> puts =
        events.stream()
            .map(PositionedEvent::event)
            .filter(SecretVersionPut.class::isInstance)
            .map(SecretVersionPut.class::cast)
            .toList();
    assertThat(puts)
        .extracting(SecretVersionPut::version)
        .containsExactlyInAnyOrderElementsOf(LongStream.rangeClosed(1, total).boxed().toList());
    assertThat(puts).allSatisfy(p -> assertThat(p.entityVersion()).isEqualTo(p.version()));
  }

  @Test
  void concurrentPutsToDifferentSecretsAllSucceed() throws Exception {
    store.createVault(VAULT, KEY);
    int threads = 8;
    int putsEach = 10;
    runConcurrently(
        threads,
        thread -> {
          SecretName own = SecretName.of("secret-" + thread);
          for (int i = 1; i <= putsEach; i++) {
            assertThat(store.putSecret(VAULT, own, TestSealer.of("v" + i)).version()).isEqualTo(i);
          }
        });

    assertThat(store.list(VAULT, Optional.empty(), 100))
        .hasSize(threads)
        .allSatisfy(m -> assertThat(m.latestVersion()).isEqualTo(putsEach));
    assertThat(readAll()).hasSize(threads * putsEach + 1);
  }

  // --- position

  @Test
  void positionIsAHorizonAtOrAboveEveryCommittedEvent() throws SQLException {
    store.createVault(VAULT, KEY);
    store.putSecret(VAULT, DB_PASSWORD, TestSealer.of("one"));
    store.putSecret(VAULT, API_TOKEN, TestSealer.of("two"));
    store.deleteSecret(VAULT, DB_PASSWORD);

    LogPosition horizon = store.position();
    List<PositionedEvent> events = readAll();
    assertThat(events).hasSize(4);
    assertThat(horizon.seq()).isZero();
    assertThat(events)
        .allSatisfy(
            e -> {
              assertThat(horizon.txId()).isGreaterThan(e.position().txId());
              assertThat(horizon).isGreaterThan(e.position());
            });
    assertThat(reader.readablePosition()).isEqualTo(events.get(events.size() - 1).position());

    // A transaction still in flight holds the horizon at its id, so the horizon never claims a
    // later commit that an earlier-numbered transaction could still land below.
    try (Connection open = SHARD.connect()) {
      open.setAutoCommit(false);
      long inFlight = ShardTestSupport.currentTxId(open);
      WriteOutcome later = store.putSecret(VAULT, API_TOKEN, TestSealer.of("three"));
      assertThat(later.position().txId()).isGreaterThan(inFlight);
      assertThat(store.position()).isEqualTo(new LogPosition(inFlight, 0));
      assertThat(store.position().isAtLeast(later.position())).isFalse();
      assertThat(store.position()).isGreaterThanOrEqualTo(horizon);
      open.rollback();
      assertThat(store.position()).isGreaterThan(later.position());
    }
  }

  // --- unavailability

  @Test
  void anUnreachableServerMeansStoreUnavailableWithoutSqlInTheMessage() {
    WriteOutcome created = store.createVault(VAULT, KEY);
    int port = ShardTestSupport.closedPort();
    SHARD.dataSource().setPortNumbers(new int[] {port});
    TestSealer sealer = TestSealer.of("value");

    assertUnavailable(() -> store.createVault(OTHER_VAULT, KEY), port);
    assertUnavailable(() -> store.putSecret(VAULT, DB_PASSWORD, sealer), port);
    assertUnavailable(() -> store.deleteSecret(VAULT, DB_PASSWORD), port);
    assertUnavailable(() -> store.vault(VAULT), port);
    assertUnavailable(() -> store.latest(VAULT, DB_PASSWORD), port);
    assertUnavailable(() -> store.version(VAULT, DB_PASSWORD, 1), port);
    assertUnavailable(() -> store.list(VAULT, Optional.empty(), 10), port);
    assertUnavailable(() -> store.position(), port);
    assertUnavailable(() -> reader.readAfter(LogPosition.ZERO, 10), port);
    assertUnavailable(() -> reader.readablePosition(), port);
    assertUnavailable(() -> cell.report(HostId.of("host-a"), created.position()), port);
    assertUnavailable(() -> cell.promote(), port);
    assertThat(sealer.calls()).isEmpty();

    SHARD.dataSource().setPortNumbers(new int[] {SHARD.server().port()});
    assertThat(readAll()).extracting(PositionedEvent::position).containsExactly(created.position());
  }

  @Test
  void aConnectionLostDuringAWriteMeansStoreUnavailableAndNothingCommitted() throws SQLException {
    store.createVault(VAULT, KEY);
    WriteOutcome first = store.putSecret(VAULT, DB_PASSWORD, TestSealer.of("one"));

    try (Connection admin = SHARD.connect()) {
      // The sealer runs between the put's read and its write, on the connection that will write:
      // kill that backend (the one whose last statement was the read) under it.
      assertUnavailable(
          () ->
              store.putSecret(
                  VAULT,
                  DB_PASSWORD,
                  (key, version) -> {
                    try {
                      long killed =
                          queryLong(
                              admin,
                              "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                                  + " WHERE datname = current_database()"
                                  + " AND pid <> pg_backend_pid()"
                                  + " AND query LIKE '%LEFT JOIN secrets%'");
                      assertThat(killed).isEqualTo(1);
                    } catch (SQLException e) {
                      throw new AssertionError(e);
                    }
                    return TestSealer.sealed("two", version);
                  }),
          SHARD.server().port());
    }

    assertThat(reader.readAfter(first.position(), 100)).isEmpty();
    assertThat(store.version(VAULT, DB_PASSWORD, 2)).isEmpty();
    assertThat(store.putSecret(VAULT, DB_PASSWORD, TestSealer.of("two")).version()).isEqualTo(2);
  }

  @Test
  void aStoppedServerMeansStoreUnavailable(TestInfo test) {
    PostgresInstance own = PostgresServers.startForTest();
    try {
      Assumptions.assumeTrue(
          own instanceof PostgresServer, "an external server cannot be stopped by the test");
      ShardDatabase database = ShardTestSupport.migratedShard(own, test);
      PostgresShardStore stopped = new PostgresShardStore(database);
      PostgresLogReader stoppedReader = new PostgresLogReader(database);
      stopped.createVault(VAULT, KEY);
      stopped.putSecret(VAULT, DB_PASSWORD, TestSealer.of("one"));
      int port = own.port();

      own.close();

      assertUnavailable(() -> stopped.putSecret(VAULT, DB_PASSWORD, TestSealer.of("two")), port);
      assertUnavailable(() -> stopped.deleteSecret(VAULT, DB_PASSWORD), port);
      assertUnavailable(() -> stopped.latest(VAULT, DB_PASSWORD), port);
      assertUnavailable(() -> stopped.list(VAULT, Optional.empty(), 10), port);
      assertUnavailable(stopped::position, port);
      assertUnavailable(() -> stoppedReader.readAfter(LogPosition.ZERO, 10), port);
    } finally {
      own.close();
    }
  }

  // --- helpers

  private LogPosition expectOneEvent(
      LogPosition after, WriteOutcome outcome, ReplicationEvent expected) {
    List<PositionedEvent> appended = reader.readAfter(after, 100);
    assertThat(appended).hasSize(1);
    PositionedEvent event = appended.get(0);
    assertThat(event.position()).isEqualTo(outcome.position());
    assertThat(event.event()).isEqualTo(expected);
    assertThat(event.appendedAt()).isAfter(Instant.EPOCH);
    return event.position();
  }

  /** The put event the store must have logged, with createdAt as the store recorded it. */
  private SecretVersionPut expectedPut(
      SecretName secret, long entityVersion, long version, String value, StageMap stages) {
    Instant createdAt = store.version(VAULT, secret, version).orElseThrow().createdAt();
    return new SecretVersionPut(
        VAULT,
        secret,
        entityVersion,
        version,
        createdAt,
        TestSealer.sealed(value, version),
        stages);
  }

  private Instant deletedAt(SecretName secret) throws SQLException {
    try (Connection c = SHARD.connect();
        PreparedStatement query =
            c.prepareStatement("SELECT deleted_at FROM secrets WHERE vault = ? AND name = ?")) {
      query.setString(1, VAULT.value());
      query.setString(2, secret.value());
      try (ResultSet rs = query.executeQuery()) {
        assertThat(rs.next()).isTrue();
        return rs.getObject(1, OffsetDateTime.class).toInstant();
      }
    }
  }

  private List<PositionedEvent> readAll() {
    return reader.readAfter(LogPosition.ZERO, 10_000);
  }

  private static WrappedVaultKey key(String label) {
    return FakeVaultKeys.version(1, ("wrapped-key/" + label).getBytes(StandardCharsets.UTF_8));
  }

  static void assertCode(ErrorCode code, ThrowingCallable call) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(CofferException.class, e -> assertThat(e.code()).isEqualTo(code));
  }

  static void assertUnavailable(ThrowingCallable call, int port) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            CofferException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.STORE_UNAVAILABLE);
              assertThat(e.getCause()).as("the cause is kept for the server log").isNotNull();
              String message = e.getMessage();
              assertThat(message).isNotBlank();
              for (String leak :
                  List.of(
                      "select",
                      "insert",
                      "update ",
                      "delete from",
                      " from ",
                      "replication_log",
                      "secret_versions",
                      "xid8",
                      "pg_",
                      "jdbc",
                      "psql",
                      "sqlstate",
                      "refused",
                      "terminat",
                      "127.0.0.1",
                      "localhost",
                      Integer.toString(port))) {
                assertThat(message).doesNotContainIgnoringCase(leak);
              }
              for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
                if (cause.getMessage() != null && !cause.getMessage().isBlank()) {
                  assertThat(message).doesNotContain(cause.getMessage());
                }
              }
            });
  }

  /** A piece of work run by one of several threads that start together. */
  interface ThreadWork {
    void run(int thread) throws Exception;
  }

  static void runConcurrently(int threads, ThreadWork work) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        futures.add(
            pool.submit(
                () -> {
                  start.await();
                  work.run(thread);
                  return null;
                }));
      }
      start.countDown();
      for (Future<?> future : futures) {
        future.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
