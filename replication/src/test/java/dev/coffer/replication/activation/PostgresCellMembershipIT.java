package dev.coffer.replication.activation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.core.model.Endpoint;
import dev.coffer.core.model.HostId;
import dev.coffer.core.model.LogPosition;
import dev.coffer.core.model.SecretName;
import dev.coffer.core.model.VaultName;
import dev.coffer.core.model.VersionState;
import dev.coffer.core.storage.CellMembership;
import dev.coffer.core.storage.CellMembership.HostState;
import dev.coffer.core.storage.CellMembership.HostStatus;
import dev.coffer.core.storage.ShardWriteStore.WriteOutcome;
import dev.coffer.replication.postgres.PostgresCellMembership;
import dev.coffer.replication.postgres.PostgresShardStore;
import dev.coffer.replication.postgres.ShardDatabase;
import dev.coffer.replication.testing.RoundTripCountingDataSource;
import dev.coffer.replication.testing.ShardStoreExtension;
import dev.coffer.replication.testing.ShardTestSupport;
import dev.coffer.replication.testing.TestSealer;
import dev.coffer.testkit.crypto.FakeVaultKeys;
import java.sql.Connection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Activation against a real shard store: ACTIVE only once every member host has applied. */
class PostgresCellMembershipIT {
  /** The promotion lock's key, as the shard schema's promotion_round() takes it. */
  private static final long PROMOTION_LOCK = 0x436f_6666_6572_5031L;

  private static final VaultName VAULT = VaultName.of("vault");
  private static final SecretName SECRET = SecretName.of("secret");
  private static final HostId A = HostId.of("host-a");
  private static final HostId B = HostId.of("host-b");
  private static final HostId C = HostId.of("host-c");

  private PostgresShardStore store;
  private PostgresCellMembership cell;

  @RegisterExtension static final ShardStoreExtension SHARD = new ShardStoreExtension();

  @BeforeEach
  void freshShard() {
    ShardDatabase database = SHARD.database();
    store = new PostgresShardStore(database);
    cell = new PostgresCellMembership(database);
    store.createVault(VAULT, FakeVaultKeys.version(1, new byte[] {1, 2, 3}));
  }

  private WriteOutcome put(String value) {
    return store.putSecret(VAULT, SECRET, TestSealer.of(value));
  }

  private VersionState state(WriteOutcome outcome) {
    return store.versionState(VAULT, SECRET, outcome.version()).orElseThrow();
  }

  @Test
  void aHostsAdvertisedEndpointIsListedWithItUntilItAdvertisesAnother() {
    cell.register(A, LogPosition.ZERO);
    cell.register(B, LogPosition.ZERO);
    cell.advertise(A, Endpoint.parse("https://10.0.0.1:8410"));
    assertThat(cell.hosts())
        .extracting(HostStatus::endpoint)
        .containsExactly(Optional.of(Endpoint.parse("https://10.0.0.1:8410")), Optional.empty());

    cell.register(A, LogPosition.ZERO);
    cell.advertise(A, Endpoint.parse("https://10.0.0.9:8411"));
    assertThat(cell.hosts().get(0).endpoint()).contains(Endpoint.parse("https://10.0.0.9:8411"));
  }

  @Test
  void aVersionIsPendingUntilEveryMemberHasAppliedIt() {
    cell.register(A, LogPosition.ZERO);
    cell.register(B, LogPosition.ZERO);
    assertThat(cell.promote().newMembers()).as("hosts at the watermark join at once").isEqualTo(2);
    WriteOutcome first = put("one");
    assertThat(state(first)).isEqualTo(VersionState.PENDING);

    cell.report(A, first.position());
    cell.promote();
    assertThat(state(first)).as("B has not applied it").isEqualTo(VersionState.PENDING);

    cell.report(B, first.position());
    assertThat(cell.promote().promotedVersions()).isEqualTo(1);
    assertThat(state(first)).isEqualTo(VersionState.ACTIVE);

    WriteOutcome second = put("two");
    cell.report(A, second.position());
    cell.report(B, first.position());
    cell.promote();
    assertThat(state(second)).isEqualTo(VersionState.PENDING);
    assertThat(state(first)).as("activation never goes back").isEqualTo(VersionState.ACTIVE);
  }

  /**
   * A transaction id in flight holds back every tailer's horizon, and a promotion round notifies no
   * tailer when it ends: a round that changes nothing must not take one.
   */
  @Test
  void aRoundThatRaisesNothingTakesNoTransactionId() throws Exception {
    cell.register(A, LogPosition.ZERO);
    cell.promote();
    WriteOutcome write = put("one");
    try (Connection observer = SHARD.server().connect("postgres")) {
      long before = ShardTestSupport.nextTransactionId(observer);
      assertThat(cell.promote().promotedVersions()).isZero();
      assertThat(ShardTestSupport.nextTransactionId(observer)).as("no-op round").isEqualTo(before);

      cell.report(A, write.position());
      long reported = ShardTestSupport.nextTransactionId(observer);
      assertThat(cell.promote().promotedVersions()).isEqualTo(1);
      assertThat(ShardTestSupport.nextTransactionId(observer))
          .as("a round that raises")
          .isGreaterThan(reported);
    }
  }

  /**
   * A round is one autocommit statement (the schema's promotion_round()): no transaction spans a
   * round trip, so a round that raises holds its transaction id only while its statement runs, and
   * the promotion lock ends with it.
   */
  @Test
  void aRoundIsOneAutocommitStatementAndGivesItsLockBack() throws Exception {
    RoundTripCountingDataSource counting = new RoundTripCountingDataSource(SHARD.dataSource());
    PostgresCellMembership counted = new PostgresCellMembership(ShardDatabase.validated(counting));
    cell.register(A, LogPosition.ZERO);
    cell.promote();
    WriteOutcome write = put("one");
    cell.report(A, write.position());

    counting.reset();
    assertThat(counted.promote().promotedVersions()).isEqualTo(1);

    assertThat(counting.connections()).isEqualTo(1);
    assertThat(counting.executions()).isEqualTo(1);
    assertThat(counting.commits()).isZero();
    assertThat(state(write)).isEqualTo(VersionState.ACTIVE);
    try (Connection observer = SHARD.connect()) {
      assertThat(ShardTestSupport.advisoryLocksHeld(observer)).isZero();
    }
  }

  /**
   * The lock and the round are one statement, but the round must still see what the round it waited
   * for committed: here that round admits C, which has not applied the second version, and commits
   * only once this round is waiting for the lock. A round working from a snapshot taken before the
   * lock was granted would count A alone and make the second version ACTIVE.
   */
  @Test
  void aRoundThatWaitedForTheLockSeesTheHostsTheRoundBeforeItAdmitted() throws Exception {
    cell.register(A, LogPosition.ZERO);
    cell.promote();
    WriteOutcome first = put("one");
    cell.report(A, first.position());
    cell.promote();
    cell.register(C, first.position());
    WriteOutcome second = put("two");
    cell.report(A, second.position());

    ExecutorService pool = Executors.newSingleThreadExecutor();
    try (Connection before = SHARD.connect();
        Connection observer = SHARD.connect()) {
      before.setAutoCommit(false);
      ShardTestSupport.execute(before, "SELECT pg_advisory_xact_lock(" + PROMOTION_LOCK + ")");
      ShardTestSupport.execute(
          before, "UPDATE cell_hosts SET state = 'MEMBER' WHERE host_id = 'host-c'");
      Future<CellMembership.Promotion> waiting = pool.submit(cell::promote);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (ShardTestSupport.queryLong(
              observer, "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")
          == 0) {
        assertThat(System.nanoTime()).as("the round waits for the lock").isLessThan(deadline);
        Thread.sleep(5);
      }
      assertThat(waiting).isNotDone();
      before.commit();

      CellMembership.Promotion promotion = waiting.get(10, TimeUnit.SECONDS);
      assertThat(promotion.newMembers()).as("admitted by the round before").isZero();
      assertThat(promotion.promotedVersions()).isZero();
      assertThat(state(second)).as("C has not applied it").isEqualTo(VersionState.PENDING);
    } finally {
      pool.shutdownNow();
    }
    cell.report(C, second.position());
    assertThat(cell.promote().promotedVersions()).isEqualTo(1);
    assertThat(state(second)).isEqualTo(VersionState.ACTIVE);
  }

  @Test
  void withoutMembersNothingIsPromoted() {
    WriteOutcome outcome = put("lonely");
    assertThat(cell.promote().promotedVersions()).isZero();
    assertThat(state(outcome)).isEqualTo(VersionState.PENDING);
  }

  @Test
  void aDeadHostHoldsActivationBackUntilTheOperatorRemovesIt() {
    cell.register(A, LogPosition.ZERO);
    cell.register(B, LogPosition.ZERO);
    cell.promote();
    WriteOutcome outcome = put("value");
    cell.report(A, outcome.position());
    cell.promote();
    assertThat(state(outcome)).isEqualTo(VersionState.PENDING);
    assertThat(cell.hosts()).extracting(HostStatus::host).containsExactly(A, B);

    assertThat(cell.remove(B)).isTrue();
    assertThat(cell.remove(B)).as("removing twice").isFalse();
    cell.promote();
    assertThat(state(outcome)).isEqualTo(VersionState.ACTIVE);
  }

  @Test
  void aJoiningHostDoesNotHoldActivationBackAndBecomesAMemberOnceCaughtUp() {
    cell.register(A, LogPosition.ZERO);
    cell.promote();
    WriteOutcome first = put("one");
    cell.report(A, first.position());
    cell.promote();
    assertThat(state(first)).isEqualTo(VersionState.ACTIVE);

    cell.register(C, LogPosition.ZERO);
    WriteOutcome second = put("two");
    cell.report(A, second.position());
    cell.promote();
    assertThat(states().get(C)).as("C lacks the ACTIVE first version").isEqualTo(HostState.JOINING);
    assertThat(state(second)).as("a joining host does not count").isEqualTo(VersionState.ACTIVE);

    WriteOutcome third = put("three");
    cell.report(C, second.position());
    cell.promote();
    assertThat(states().get(C)).isEqualTo(HostState.MEMBER);
    cell.report(A, third.position());
    cell.promote();
    assertThat(state(third)).as("now C counts").isEqualTo(VersionState.PENDING);
    cell.report(C, third.position());
    cell.promote();
    assertThat(state(third)).isEqualTo(VersionState.ACTIVE);
  }

  @Test
  void aHostWhoseReplicaWentBackRejoinsAndReportsNeverGoBackwards() {
    cell.register(A, LogPosition.ZERO);
    cell.promote();
    WriteOutcome first = put("one");
    cell.report(A, first.position());
    cell.report(A, LogPosition.ZERO);
    assertThat(cell.hosts().get(0).applied()).isEqualTo(first.position());
    cell.promote();
    assertThat(states().get(A)).isEqualTo(HostState.MEMBER);

    // Its disk was replaced: it registers with an empty replica.
    cell.register(A, LogPosition.ZERO);
    assertThat(states().get(A)).isEqualTo(HostState.JOINING);
    assertThat(cell.hosts().get(0).applied()).isEqualTo(LogPosition.ZERO);
    WriteOutcome second = put("two");
    cell.promote();
    assertThat(state(second)).as("no member has applied it").isEqualTo(VersionState.PENDING);
  }

  private Map<HostId, HostState> states() {
    return cell.hosts().stream().collect(Collectors.toMap(HostStatus::host, HostStatus::state));
  }
}
