package dev.coffer.dataplane.read;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.codahale.metrics.MetricRegistry;
import dev.coffer.core.error.CofferException;
import dev.coffer.core.error.ErrorCode;
import dev.coffer.core.model.LogPosition;
import dev.coffer.core.model.ReplicationToken;
import dev.coffer.core.model.SecretMetadata;
import dev.coffer.core.model.SecretName;
import dev.coffer.core.model.SecretStage;
import dev.coffer.core.model.ShardId;
import dev.coffer.core.model.StageMap;
import dev.coffer.core.model.VaultName;
import dev.coffer.core.read.RevealedSecret;
import dev.coffer.core.read.VersionSelector;
import dev.coffer.core.storage.SecretReadAccessor;
import dev.coffer.testkit.storage.InMemoryReplicaStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The routing of a host's reads, over two real reference stores (the replica and a stand-in for the
 * shard store, which has applied the whole log) with real envelope encryption.
 */
class ReplicaReadsTest {
  private static final VaultName VAULT = VaultName.of("payments");
  private static final SecretName DB = SecretName.of("db-password");
  private static final Duration WAIT = Duration.ofMillis(100);
  private static final Optional<ReplicationToken> NO_TOKEN = Optional.empty();

  private final ShardHistory history = new ShardHistory();
  private final InMemoryReplicaStore local = new InMemoryReplicaStore();
  private final InMemoryReplicaStore remoteStore = new InMemoryReplicaStore();
  private final ShardHistory.Counting remote = new ShardHistory.Counting(remoteStore);
  private final MetricRegistry registry = new MetricRegistry();
  private final ReadMetrics metrics = new ReadMetrics(registry, ShardHistory.SHARD);

  /** The replication tailer as tests script it: what it applies while a read waits. */
  private final List<Duration> waits = new ArrayList<>();

  private Runnable duringWait = () -> {};
  private ReplicationToken firstWrite;

  @BeforeEach
  void bothStoresHoldTheFirstVersion() {
    history.createVault(VAULT);
    firstWrite = history.put(VAULT, DB, 1, "first");
    history.applyAll(local);
    history.applyAll(remoteStore);
  }

  @AfterEach
  void clearInterrupt() {
    Thread.interrupted();
  }

  private ReplicaReads reads(SecretReadAccessor remoteAccessor) {
    PositionWaiter waiter =
        (target, timeout) -> {
          waits.add(timeout);
          duringWait.run();
          return local.appliedPosition().isAtLeast(target);
        };
    return new ReplicaReads(
        ShardHistory.SHARD, local, remoteAccessor, waiter, WAIT, history.crypto, metrics);
  }

  private ReplicaReads reads() {
    return reads(remote);
  }

  /** A write the shard store has and the replica has not applied yet. */
  private ReplicationToken writeNotYetApplied(long version, String value) {
    ReplicationToken token = history.put(VAULT, DB, version, value);
    history.applyAll(remoteStore);
    return token;
  }

  @Test
  void aTokenAlreadyAppliedIsAnsweredLocallyWithoutWaiting() {
    Served<RevealedSecret> served =
        reads().get(VAULT, DB, OptionalLong.empty(), Optional.of(firstWrite));

    assertThat(served.from()).isEqualTo(ServedFrom.LOCAL);
    assertThat(served.answer().value().asUtf8()).contains("first");
    assertThat(served.position()).isEqualTo(local.appliedPosition());
    assertThat(served.position().isAtLeast(firstWrite.position())).isTrue();
    assertThat(waits).isEmpty();
    assertThat(remote.calls).hasValue(0);
    assertThat(meter("served.local")).isEqualTo(1);
    assertThat(meter("served.remote")).isZero();
  }

  @Test
  void aTokenAppliedDuringTheWaitIsAnsweredLocally() {
    ReplicationToken second = writeNotYetApplied(2, "second");
    duringWait = () -> history.applyAll(local);

    Served<RevealedSecret> served =
        reads().get(VAULT, DB, OptionalLong.empty(), Optional.of(second));

    assertThat(served.from()).isEqualTo(ServedFrom.LOCAL);
    assertThat(served.answer().version()).isEqualTo(2);
    assertThat(served.answer().value().asUtf8()).contains("second");
    assertThat(served.position().isAtLeast(second.position())).isTrue();
    assertThat(waits).containsExactly(WAIT);
    assertThat(remote.calls).hasValue(0);
    assertThat(meter("token.applied-during-wait")).isEqualTo(1);
    assertThat(meter("fallback.token-wait-expired")).isZero();
  }

  @Test
  void aTokenStillAheadAfterTheWaitIsAnsweredByTheShardStore() {
    ReplicationToken second = writeNotYetApplied(2, "second");

    Served<RevealedSecret> served =
        reads().get(VAULT, DB, OptionalLong.empty(), Optional.of(second));

    assertThat(served.from()).isEqualTo(ServedFrom.REMOTE);
    assertThat(served.answer().version()).isEqualTo(2);
    assertThat(served.answer().value().asUtf8()).contains("second");
    assertThat(served.position()).isEqualTo(remoteStore.position());
    assertThat(waits).containsExactly(WAIT);
    assertThat(meter("fallback.token-wait-expired")).isEqualTo(1);
    assertThat(meter("served.remote")).isEqualTo(1);
    assertThat(meter("served.local")).isZero();
  }

  @Test
  void aListWithATokenStillAheadIsAnsweredByTheShardStore() {
    SecretName api = SecretName.of("api-key");
    ReplicationToken token = history.put(VAULT, api, 1, "key");
    history.applyAll(remoteStore);

    Served<List<SecretMetadata>> served =
        reads().list(VAULT, Optional.empty(), 10, Optional.of(token));

    assertThat(served.from()).isEqualTo(ServedFrom.REMOTE);
    assertThat(served.answer()).extracting(SecretMetadata::name).containsExactly(api, DB);
  }

  @Test
  void aWaitCutShortByAnInterruptGoesToTheShardStoreAndKeepsTheInterrupt() {
    ReplicationToken second = writeNotYetApplied(2, "second");
    ReplicaReads reads =
        new ReplicaReads(
            ShardHistory.SHARD,
            local,
            remote,
            (target, timeout) -> {
              throw new InterruptedException();
            },
            WAIT,
            history.crypto,
            metrics);

    Served<RevealedSecret> served = reads.get(VAULT, DB, OptionalLong.empty(), Optional.of(second));

    assertThat(served.from()).isEqualTo(ServedFrom.REMOTE);
    assertThat(served.answer().version()).isEqualTo(2);
    assertThat(Thread.currentThread().isInterrupted()).isTrue();
  }

  @Test
  void aTokenTheReplicaLacksIsNotAnsweredFromOlderStateWhenTheShardStoreIsDown() {
    ReplicationToken second = writeNotYetApplied(2, "second");

    assertThatThrownBy(
            () ->
                reads(new ShardHistory.Unavailable())
                    .get(VAULT, DB, OptionalLong.empty(), Optional.of(second)))
        .isInstanceOfSatisfying(
            CofferException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.STORE_UNAVAILABLE);
              assertThat(e.getMessage()).contains("replication token");
            });
    assertThat(meter("fallback.remote-unavailable")).isEqualTo(1);
  }

  @Test
  void aTokenOfAnotherShardIsRefusedBeforeAnyStoreIsRead() {
    ReplicationToken foreign = new ReplicationToken(ShardId.of("shard-2"), LogPosition.ZERO);

    assertThatThrownBy(() -> reads().get(VAULT, DB, OptionalLong.empty(), Optional.of(foreign)))
        .isInstanceOfSatisfying(
            CofferException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REPLICATION_TOKEN);
              assertThat(e.getMessage()).contains("another shard").contains("shard-1");
            });
    assertThatThrownBy(() -> reads().list(VAULT, Optional.empty(), 10, Optional.of(foreign)))
        .isInstanceOfSatisfying(
            CofferException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REPLICATION_TOKEN));
    assertThat(remote.calls).hasValue(0);
    assertThat(registry.getMeters().values()).allSatisfy(m -> assertThat(m.getCount()).isZero());
  }

  @Test
  void anExplicitVersionMissingLocallyIsAnsweredByTheShardStore() {
    writeNotYetApplied(2, "second");

    Served<RevealedSecret> served = reads().get(VAULT, DB, OptionalLong.of(2), NO_TOKEN);

    assertThat(served.from()).isEqualTo(ServedFrom.REMOTE);
    assertThat(served.answer().version()).isEqualTo(2);
    assertThat(served.answer().value().asUtf8()).contains("second");
    assertThat(meter("fallback.missing-locally")).isEqualTo(1);
    assertThat(meter("served.remote")).isEqualTo(1);
  }

  @Test
  void aSecretOrVaultMissingLocallyIsAnsweredByTheShardStore() {
    SecretName fresh = SecretName.of("fresh");
    VaultName newVault = VaultName.of("orders");
    history.put(VAULT, fresh, 1, "new secret");
    history.createVault(newVault);
    history.put(newVault, DB, 1, "in a new vault");
    history.applyAll(remoteStore);

    assertThat(reads().get(VAULT, fresh, OptionalLong.empty(), NO_TOKEN).answer().value().asUtf8())
        .contains("new secret");
    assertThat(reads().get(newVault, DB, OptionalLong.of(1), NO_TOKEN).answer().value().asUtf8())
        .contains("in a new vault");
    Served<List<SecretMetadata>> listed = reads().list(newVault, Optional.empty(), 10, NO_TOKEN);
    assertThat(listed.from()).isEqualTo(ServedFrom.REMOTE);
    assertThat(listed.answer()).extracting(SecretMetadata::name).containsExactly(DB);
    assertThat(meter("fallback.missing-locally")).isEqualTo(3);
  }

  @Test
  void withoutATokenALatestReadIsAnsweredByTheReplicaEvenWhenItIsBehind() {
    writeNotYetApplied(2, "second");

    Served<RevealedSecret> served = reads().get(VAULT, DB, OptionalLong.empty(), NO_TOKEN);

    assertThat(served.from()).isEqualTo(ServedFrom.LOCAL);
    assertThat(served.answer().version()).isEqualTo(1);
    assertThat(remote.calls).hasValue(0);
  }

  @Test
  void aGenuineNotFoundCostsOneShardStoreLookupAndIsTheShardStoresAnswer() {
    assertError(
        () -> reads().get(VAULT, DB, OptionalLong.of(9), NO_TOKEN), ErrorCode.VERSION_NOT_FOUND);
    assertError(
        () -> reads().get(VAULT, SecretName.of("nothing"), OptionalLong.empty(), NO_TOKEN),
        ErrorCode.SECRET_NOT_FOUND);
    assertError(
        () -> reads().list(VaultName.of("nowhere"), Optional.empty(), 10, NO_TOKEN),
        ErrorCode.VAULT_NOT_FOUND);

    assertThat(meter("fallback.missing-locally")).isEqualTo(3);
    assertThat(meter("served.remote")).isEqualTo(3);
    assertThat(meter("served.local")).isZero();
  }

  @Test
  void aDeletedSecretIsLookedUpRemotelyAndStaysDeleted() {
    history.delete(VAULT, DB);
    history.applyAll(local);
    history.applyAll(remoteStore);

    assertError(
        () -> reads().get(VAULT, DB, OptionalLong.of(1), NO_TOKEN), ErrorCode.SECRET_NOT_FOUND);
    assertThat(meter("served.remote")).isEqualTo(1);
  }

  @Test
  void whenTheShardStoreIsDownAMissingVersionIsTheReplicasNotFound() {
    ShardHistory.Unavailable down = new ShardHistory.Unavailable();

    assertError(
        () -> reads(down).get(VAULT, DB, OptionalLong.of(2), NO_TOKEN),
        ErrorCode.VERSION_NOT_FOUND);
    assertError(
        () -> reads(down).get(VAULT, SecretName.of("nothing"), OptionalLong.empty(), NO_TOKEN),
        ErrorCode.SECRET_NOT_FOUND);
    assertThat(down.calls).hasValue(2);
    assertThat(meter("fallback.missing-locally")).isEqualTo(2);
    assertThat(meter("fallback.remote-unavailable")).isEqualTo(2);
    assertThat(meter("served.local")).isEqualTo(2);
    assertThat(meter("served.remote")).isZero();
  }

  @Test
  void whenTheShardStoreIsDownWhatTheReplicaHasIsStillServed() {
    Served<RevealedSecret> served =
        reads(new ShardHistory.Unavailable())
            .get(VAULT, DB, OptionalLong.of(1), Optional.of(firstWrite));

    assertThat(served.from()).isEqualTo(ServedFrom.LOCAL);
    assertThat(served.answer().value().asUtf8()).contains("first");
  }

  @Test
  void anAnswerNeverPrintsItsValue() {
    Served<RevealedSecret> served = reads().get(VAULT, DB, OptionalLong.empty(), NO_TOKEN);

    assertThat(served.toString()).doesNotContain("first").contains("local");
  }

  @Test
  void aNegativeWaitIsRefused() {
    assertThatThrownBy(
            () ->
                new ReplicaReads(
                    ShardHistory.SHARD,
                    local,
                    remote,
                    (t, d) -> true,
                    Duration.ofMillis(-1),
                    history.crypto,
                    metrics))
        .isInstanceOf(IllegalArgumentException.class);
  }

  // --- stage reads (application-level stages; the same two fallback rules)

  /** Version 2 written PENDING and promoted, the promotion known only to the shard store. */
  private ReplicationToken promotionNotYetApplied() {
    history.put(VAULT, DB, 2, "second", new StageMap(1, 0, 2));
    history.applyAll(local);
    ReplicationToken promotion = history.stagesChanged(VAULT, DB, new StageMap(2, 1, 0));
    history.applyAll(remoteStore);
    return promotion;
  }

  @Test
  void withoutATokenAReplicaBehindAPromotionAnswersWithItsOwnCurrentVersion() {
    promotionNotYetApplied();

    Served<RevealedSecret> served = reads().get(VAULT, DB, VersionSelector.CURRENT, NO_TOKEN);

    assertThat(served.from()).isEqualTo(ServedFrom.LOCAL);
    assertThat(served.answer().version()).isEqualTo(1);
    assertThat(served.answer().stages()).containsExactly(SecretStage.CURRENT);
    assertThat(remote.calls).hasValue(0);
  }

  @Test
  void withThePromotionsTokenAReplicaBehindItFallsBackAfterTheWait() {
    ReplicationToken promotion = promotionNotYetApplied();

    Served<RevealedSecret> served =
        reads().get(VAULT, DB, VersionSelector.CURRENT, Optional.of(promotion));
    Served<RevealedSecret> previous =
        reads().get(VAULT, DB, VersionSelector.stage(SecretStage.PREVIOUS), Optional.of(promotion));

    assertThat(served.from()).isEqualTo(ServedFrom.REMOTE);
    assertThat(served.answer().version()).isEqualTo(2);
    assertThat(served.answer().stages()).containsExactly(SecretStage.CURRENT);
    assertThat(served.answer().value().asUtf8()).contains("second");
    assertThat(previous.from()).isEqualTo(ServedFrom.REMOTE);
    assertThat(previous.answer().version()).isEqualTo(1);
    assertThat(meter("fallback.token-wait-expired")).isEqualTo(2);
  }

  @Test
  void withThePromotionsTokenAReplicaThatAppliesItDuringTheWaitAnswersLocally() {
    ReplicationToken promotion = promotionNotYetApplied();
    duringWait = () -> history.applyAll(local);

    Served<RevealedSecret> served =
        reads().get(VAULT, DB, VersionSelector.CURRENT, Optional.of(promotion));

    assertThat(served.from()).isEqualTo(ServedFrom.LOCAL);
    assertThat(served.answer().version()).isEqualTo(2);
    assertThat(remote.calls).hasValue(0);
  }

  @Test
  void aStageTheReplicaHasEmptyFallsBackEvenWithoutAToken() {
    SecretName fresh = SecretName.of("fresh");
    history.put(VAULT, fresh, 1, "rotating", new StageMap(0, 0, 1));
    history.applyAll(local);
    history.stagesChanged(VAULT, fresh, new StageMap(1, 0, 0));
    history.applyAll(remoteStore);

    Served<RevealedSecret> current = reads().get(VAULT, fresh, VersionSelector.CURRENT, NO_TOKEN);

    assertThat(current.from()).isEqualTo(ServedFrom.REMOTE);
    assertThat(current.answer().version()).isEqualTo(1);
    assertThat(meter("fallback.missing-locally")).isEqualTo(1);
  }

  @Test
  void aStageEmptyEverywhereIsNoVersionInStageFromTheShardStore() {
    SecretName fresh = SecretName.of("fresh");
    history.put(VAULT, fresh, 1, "rotating", new StageMap(0, 0, 1));
    history.applyAll(local);
    history.applyAll(remoteStore);

    assertError(
        () -> reads().get(VAULT, fresh, VersionSelector.CURRENT, NO_TOKEN),
        ErrorCode.NO_VERSION_IN_STAGE);
    assertThat(remote.calls.get()).isPositive();
    assertThat(
            reads().get(VAULT, fresh, VersionSelector.stage(SecretStage.PENDING), NO_TOKEN).from())
        .isEqualTo(ServedFrom.LOCAL);
  }

  private long meter(String name) {
    return registry.meter("coffer.reads.shard-1." + name).getCount();
  }

  private static void assertError(Runnable attempt, ErrorCode code) {
    assertThatThrownBy(attempt::run)
        .isInstanceOfSatisfying(CofferException.class, e -> assertThat(e.code()).isEqualTo(code));
  }
}
