package dev.coffer.testkit.storage;

import static dev.coffer.testkit.storage.ReplicaEvents.createdAt;
import static dev.coffer.testkit.storage.ReplicaEvents.deleted;
import static dev.coffer.testkit.storage.ReplicaEvents.put;
import static dev.coffer.testkit.storage.ReplicaEvents.sealed;
import static dev.coffer.testkit.storage.ReplicaEvents.stagesChanged;
import static dev.coffer.testkit.storage.ReplicaEvents.vaultCreated;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.core.event.PositionedEvent;
import dev.coffer.core.event.ReplicationEvent;
import dev.coffer.core.event.SecretStagesChanged;
import dev.coffer.core.event.SecretVersionPut;
import dev.coffer.core.model.LogPosition;
import dev.coffer.core.model.SecretMetadata;
import dev.coffer.core.model.SecretName;
import dev.coffer.core.model.SecretVersionRecord;
import dev.coffer.core.model.StageMap;
import dev.coffer.core.model.VaultName;
import dev.coffer.core.model.VaultRecord;
import dev.coffer.core.storage.ReplicaStore;
import dev.coffer.core.storage.SecretReadAccessor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ReplicaStore} must do. An implementation's test extends this and supplies a
 * fresh store; persistent stores also override {@link #reopen} so that the checks marked "after
 * reopen" read what actually reached the disk.
 */
public abstract class ReplicaStoreContract {
  private static final String VAULT = "vault";
  private static final String OTHER_VAULT = "other";

  private ReplicaStore store;
  private long nextTxId = 1;

  /** A new, empty store, owned by the test from now on. */
  protected abstract ReplicaStore newStore();

  /**
   * The same store as a fresh process would see it: persistent stores close {@code store} and open
   * its directory again. The default suits stores whose state dies with the instance.
   */
  protected ReplicaStore reopen(ReplicaStore store) {
    return store;
  }

  @BeforeEach
  void openStore() {
    store = newStore();
  }

  @AfterEach
  void closeStore() {
    store.close();
  }

  // --- empty store and vaults

  @Test
  void anEmptyStoreHasNothingAndPositionZero() {
    assertThat(store.appliedPosition()).isEqualTo(LogPosition.ZERO);
    assertThat(store.position()).isEqualTo(LogPosition.ZERO);
    assertThat(store.vault(v(VAULT))).isEmpty();
    assertThat(store.latest(v(VAULT), s("x"))).isEmpty();
    assertThat(store.version(v(VAULT), s("x"), 1)).isEmpty();
    assertThat(store.list(v(VAULT), Optional.empty(), 10)).isEmpty();

    reopenStore();

    assertThat(store.appliedPosition()).isEqualTo(LogPosition.ZERO);
  }

  @Test
  void aCreatedVaultIsReadable() {
    apply(vaultCreated(VAULT, 1));

    assertThat(store.vault(v(VAULT))).contains(vaultRecord(VAULT, 1));
    assertThat(store.vault(v(OTHER_VAULT))).isEmpty();
    reopenStore();
    assertThat(store.vault(v(VAULT))).contains(vaultRecord(VAULT, 1));
  }

  @Test
  void theVaultEventWithTheHighestEntityVersionWinsInAnyOrder() {
    apply(vaultCreated(VAULT, 2));
    apply(vaultCreated(VAULT, 1));
    apply(vaultCreated(OTHER_VAULT, 1));
    apply(vaultCreated(OTHER_VAULT, 2));
    apply(vaultCreated(OTHER_VAULT, 2));

    assertThat(store.vault(v(VAULT))).contains(vaultRecord(VAULT, 2));
    assertThat(store.vault(v(OTHER_VAULT))).contains(vaultRecord(OTHER_VAULT, 2));
  }

  // --- puts and reads

  @Test
  void putVersionsAreReadableByNumberAsLatestAndInTheList() {
    apply(put(VAULT, "x", 1, 1), put(VAULT, "x", 2, 2));
    apply(put(VAULT, "x", 3, 3));

    assertThat(store.latest(v(VAULT), s("x"))).contains(record(VAULT, "x", 3, 3));
    assertThat(store.version(v(VAULT), s("x"), 1)).contains(record(VAULT, "x", 1, 1));
    assertThat(store.version(v(VAULT), s("x"), 2)).contains(record(VAULT, "x", 2, 2));
    assertThat(store.version(v(VAULT), s("x"), 3)).contains(record(VAULT, "x", 3, 3));
    assertThat(store.version(v(VAULT), s("x"), 4)).isEmpty();
    assertThat(store.version(v(VAULT), s("x"), 0)).isEmpty();
    assertThat(store.version(v(VAULT), s("x"), -1)).isEmpty();
    assertThat(store.list(v(VAULT), Optional.empty(), 10))
        .containsExactly(new SecretMetadata(s("x"), 3, createdAt(3, 3)));
    assertThat(store.latest(v(VAULT), s("y"))).isEmpty();
    assertThat(store.latest(v(OTHER_VAULT), s("x"))).isEmpty();
    assertThat(store.list(v(OTHER_VAULT), Optional.empty(), 10)).isEmpty();
  }

  @Test
  void secretsNeedNotWaitForTheirVault() {
    apply(put(VAULT, "x", 1, 1));

    assertThat(store.vault(v(VAULT))).isEmpty();
    assertThat(store.latest(v(VAULT), s("x"))).contains(record(VAULT, "x", 1, 1));
  }

  @Test
  void listIsInNameOrderAndPaginatesAfterTheGivenName() {
    // Applied out of name order, one of them deleted, so order and skipping are both the store's.
    for (String name : List.of("e", "b", "a", "d", "c", "B", "a.1", "c0")) {
      apply(put(VAULT, name, 1, 1));
    }
    apply(deleted(VAULT, "c", 2));

    assertThat(names(store.list(v(VAULT), Optional.empty(), 1000)))
        .containsExactly("B", "a", "a.1", "b", "c0", "d", "e");
    assertThat(names(store.list(v(VAULT), Optional.empty(), 3))).containsExactly("B", "a", "a.1");
    assertThat(names(store.list(v(VAULT), Optional.of(s("a.1")), 3)))
        .containsExactly("b", "c0", "d");
    assertThat(names(store.list(v(VAULT), Optional.of(s("b")), 2))).containsExactly("c0", "d");
    // A deleted or never-seen name is a valid cursor too.
    assertThat(names(store.list(v(VAULT), Optional.of(s("c")), 2))).containsExactly("c0", "d");
    assertThat(names(store.list(v(VAULT), Optional.of(s("a0")), 2))).containsExactly("b", "c0");
    assertThat(names(store.list(v(VAULT), Optional.of(s("d")), 2))).containsExactly("e");
    assertThat(store.list(v(VAULT), Optional.of(s("e")), 2)).isEmpty();
    assertThat(store.list(v(VAULT), Optional.of(s("z")), 2)).isEmpty();
    assertThat(ObservableState.listInPages(store, v(VAULT), 1))
        .isEqualTo(store.list(v(VAULT), Optional.empty(), 1000));
  }

  @Test
  void listRejectsALimitOutsideOneToAThousand() {
    for (int limit : new int[] {0, -1, SecretReadAccessor.MAX_LIST_LIMIT + 1, Integer.MIN_VALUE}) {
      assertThatThrownBy(() -> store.list(v(VAULT), Optional.empty(), limit))
          .isInstanceOf(IllegalArgumentException.class);
    }
    assertThat(store.list(v(VAULT), Optional.empty(), 1)).isEmpty();
    assertThat(store.list(v(VAULT), Optional.empty(), SecretReadAccessor.MAX_LIST_LIMIT)).isEmpty();
  }

  // --- deletes

  @Test
  void aDeleteRemovesEveryOlderVersionAndHidesTheSecret() {
    apply(put(VAULT, "x", 1, 1), put(VAULT, "x", 2, 2), put(VAULT, "y", 1, 1));
    apply(deleted(VAULT, "x", 3));

    assertDeleted(VAULT, "x", 2);
    assertThat(names(store.list(v(VAULT), Optional.empty(), 10))).containsExactly("y");
    reopenStore();
    assertDeleted(VAULT, "x", 2);
  }

  @Test
  void aPutAfterADeleteResurrectsTheSecretWithOnlyTheNewVersion() {
    apply(put(VAULT, "x", 1, 1), put(VAULT, "x", 2, 2));
    apply(deleted(VAULT, "x", 3));
    apply(put(VAULT, "x", 4, 3));

    assertThat(store.latest(v(VAULT), s("x"))).contains(record(VAULT, "x", 4, 3));
    assertThat(store.version(v(VAULT), s("x"), 1)).isEmpty();
    assertThat(store.version(v(VAULT), s("x"), 2)).isEmpty();
    assertThat(store.list(v(VAULT), Optional.empty(), 10))
        .containsExactly(new SecretMetadata(s("x"), 3, createdAt(4, 3)));
  }

  @Test
  void aDeleteOfAnUnknownSecretStillHidesOlderPutsThatArriveLater() {
    apply(deleted(VAULT, "x", 3));
    assertDeleted(VAULT, "x", 2);

    apply(put(VAULT, "x", 2, 2), put(VAULT, "x", 1, 1));

    assertDeleted(VAULT, "x", 2);
    reopenStore();
    apply(put(VAULT, "x", 3, 3));
    assertDeleted(VAULT, "x", 3);
  }

  // --- out-of-order delivery

  @Test
  void anOlderPutDeliveredLateDoesNotBecomeLatest() {
    apply(put(VAULT, "x", 3, 3));
    apply(put(VAULT, "x", 2, 2));

    assertThat(store.latest(v(VAULT), s("x"))).contains(record(VAULT, "x", 3, 3));
    assertThat(store.version(v(VAULT), s("x"), 2)).contains(record(VAULT, "x", 2, 2));
    assertThat(store.list(v(VAULT), Optional.empty(), 10))
        .containsExactly(new SecretMetadata(s("x"), 3, createdAt(3, 3)));
  }

  @Test
  void aNewerPutDeliveredBeforeTheDeleteSurvivesIt() {
    apply(put(VAULT, "x", 4, 3));
    apply(put(VAULT, "x", 1, 1));
    apply(deleted(VAULT, "x", 3));
    apply(put(VAULT, "x", 2, 2));

    assertThat(store.latest(v(VAULT), s("x"))).contains(record(VAULT, "x", 4, 3));
    assertThat(store.version(v(VAULT), s("x"), 1)).isEmpty();
    assertThat(store.version(v(VAULT), s("x"), 2)).isEmpty();
    assertThat(store.list(v(VAULT), Optional.empty(), 10))
        .containsExactly(new SecretMetadata(s("x"), 3, createdAt(4, 3)));
  }

  @Test
  void aLateDeleteRemovesOnlyWhatIsOlderThanItself() {
    apply(put(VAULT, "x", 1, 1), put(VAULT, "x", 3, 2));
    apply(deleted(VAULT, "x", 2));

    assertThat(store.version(v(VAULT), s("x"), 1)).isEmpty();
    assertThat(store.latest(v(VAULT), s("x"))).contains(record(VAULT, "x", 3, 2));
    assertThat(store.list(v(VAULT), Optional.empty(), 10))
        .containsExactly(new SecretMetadata(s("x"), 2, createdAt(3, 2)));
  }

  @Test
  void anOlderDeleteDeliveredAfterANewerOneIsIgnored() {
    apply(deleted(VAULT, "x", 4));
    apply(put(VAULT, "x", 5, 3));
    apply(deleted(VAULT, "x", 2));
    apply(put(VAULT, "x", 3, 2));

    assertThat(store.latest(v(VAULT), s("x"))).contains(record(VAULT, "x", 5, 3));
    assertThat(store.version(v(VAULT), s("x"), 2)).isEmpty();
  }

  @Test
  void theLatestVersionIsTheHighestNumberEvenWhenTheTopOneArrivesFirst() {
    apply(put(VAULT, "x", 5, 5));
    apply(put(VAULT, "x", 4, 4), put(VAULT, "x", 1, 1));

    assertThat(store.latest(v(VAULT), s("x"))).contains(record(VAULT, "x", 5, 5));
    apply(deleted(VAULT, "x", 6), put(VAULT, "x", 7, 6));
    assertThat(store.list(v(VAULT), Optional.empty(), 10))
        .containsExactly(new SecretMetadata(s("x"), 6, createdAt(7, 6)));
  }

  // --- batches

  @Test
  void laterEventsOfABatchSeeTheEffectsOfEarlierOnes() {
    apply(
        put(VAULT, "x", 1, 1),
        put(VAULT, "x", 2, 2),
        deleted(VAULT, "x", 3),
        put(VAULT, "x", 4, 3),
        put(VAULT, "y", 1, 1),
        deleted(VAULT, "y", 2),
        put(VAULT, "x", 2, 2));

    assertThat(store.latest(v(VAULT), s("x"))).contains(record(VAULT, "x", 4, 3));
    assertThat(store.version(v(VAULT), s("x"), 2)).isEmpty();
    assertDeleted(VAULT, "y", 1);
    assertThat(names(store.list(v(VAULT), Optional.empty(), 10))).containsExactly("x");
  }

  @Test
  void redeliveringABatchChangesNothing() {
    List<PositionedEvent> batch =
        batch(
            vaultCreated(VAULT, 1),
            put(VAULT, "x", 1, 1),
            put(VAULT, "x", 2, 2),
            put(VAULT, "y", 1, 1),
            deleted(VAULT, "y", 2),
            deleted(VAULT, "x", 3),
            put(VAULT, "x", 4, 3));
    store.apply(batch);
    ObservableState first = observe();
    LogPosition position = store.appliedPosition();

    store.apply(batch);
    assertThat(observe()).isEqualTo(first);
    List<PositionedEvent> reversed = new ArrayList<>(batch);
    Collections.reverse(reversed);
    for (PositionedEvent event : reversed) {
      store.apply(List.of(event));
    }

    assertThat(observe()).isEqualTo(first);
    assertThat(store.appliedPosition()).isEqualTo(position);
    reopenStore();
    assertThat(observe()).isEqualTo(first);
  }

  @Test
  void theAppliedPositionIsTheLastEventsAndNeverGoesBack() {
    store.apply(
        List.of(
            at(3, 0, put(VAULT, "x", 1, 1)),
            at(3, 1, put(VAULT, "x", 2, 2)),
            at(4, 0, put(VAULT, "y", 1, 1))));
    assertThat(store.appliedPosition()).isEqualTo(new LogPosition(4, 0));
    assertThat(store.position()).isEqualTo(new LogPosition(4, 0));

    store.apply(List.of(at(3, 1, put(VAULT, "x", 2, 2))));
    assertThat(store.appliedPosition()).isEqualTo(new LogPosition(4, 0));
    store.apply(List.of());
    assertThat(store.appliedPosition()).isEqualTo(new LogPosition(4, 0));
    store.apply(List.of(at(4, 1, put(VAULT, "z", 1, 1))));
    assertThat(store.appliedPosition()).isEqualTo(new LogPosition(4, 1));

    reopenStore();
    assertThat(store.appliedPosition()).isEqualTo(new LogPosition(4, 1));
    store.apply(List.of(at(2, 0, put(VAULT, "x", 1, 1))));
    assertThat(store.appliedPosition()).isEqualTo(new LogPosition(4, 1));
  }

  @Test
  void anEmptyBatchIsANoOp() {
    store.apply(List.of());
    assertThat(store.appliedPosition()).isEqualTo(LogPosition.ZERO);

    apply(put(VAULT, "x", 1, 1));
    ObservableState before = observe();
    LogPosition position = store.appliedPosition();
    store.apply(List.of());

    assertThat(observe()).isEqualTo(before);
    assertThat(store.appliedPosition()).isEqualTo(position);
  }

  @Test
  void aBatchThatCannotBeAppliedLeavesNoTrace() {
    apply(put(VAULT, "x", 1, 1));
    ObservableState before = observe();
    LogPosition position = store.appliedPosition();

    List<PositionedEvent> withNull =
        Arrays.asList(at(10, 0, put(VAULT, "x", 2, 2)), null, at(10, 2, deleted(VAULT, "x", 3)));
    assertThatThrownBy(() -> store.apply(withNull)).isInstanceOf(NullPointerException.class);
    List<PositionedEvent> withBadVersion =
        List.of(
            at(11, 0, deleted(VAULT, "x", 2)),
            at(11, 1, put(VAULT, "y", 1, 1)),
            at(11, 2, badPut(VAULT, "z", 1, 0)));
    assertThatThrownBy(() -> store.apply(withBadVersion))
        .isInstanceOf(IllegalArgumentException.class);
    List<PositionedEvent> withBadEntityVersion =
        List.of(at(12, 0, deleted(VAULT, "x", 2)), at(12, 1, badPut(VAULT, "y", 0, 1)));
    assertThatThrownBy(() -> store.apply(withBadEntityVersion))
        .isInstanceOf(IllegalArgumentException.class);

    assertThat(observe()).isEqualTo(before);
    assertThat(store.appliedPosition()).isEqualTo(position);
    reopenStore();
    assertThat(observe()).isEqualTo(before);
    assertThat(store.appliedPosition()).isEqualTo(position);
  }

  @Test
  void dataAndPositionAgreeAfterReopen() {
    apply(vaultCreated(VAULT, 1), put(VAULT, "x", 1, 1), put(VAULT, "y", 1, 1));
    apply(put(VAULT, "x", 2, 2), deleted(VAULT, "y", 2));
    apply(put(VAULT, "z", 1, 1));
    ObservableState before = observe();
    LogPosition position = store.appliedPosition();

    reopenStore();

    assertThat(store.appliedPosition()).isEqualTo(position);
    assertThat(observe()).isEqualTo(before);
    assertThat(names(store.list(v(VAULT), Optional.empty(), 10))).containsExactly("x", "z");
  }

  // --- isolation

  @Test
  void namesThatArePrefixesOfOneAnotherDoNotInterfere() {
    apply(
        vaultCreated("a", 1),
        vaultCreated("a-b", 1),
        vaultCreated("ab", 1),
        put("a", "x", 1, 1),
        put("a", "x.y", 1, 1),
        put("a", "x-y", 1, 1),
        put("a", "x0", 1, 1),
        put("a", "b-x", 1, 1),
        put("a-b", "x", 1, 1),
        put("a-b", "x", 2, 2),
        put("ab", "x", 1, 1));

    apply(deleted("a", "x", 2), put("a", "x.y", 2, 2));

    assertDeleted("a", "x", 2);
    assertThat(store.latest(v("a"), s("x.y"))).contains(record("a", "x.y", 2, 2));
    assertThat(store.latest(v("a"), s("x-y"))).contains(record("a", "x-y", 1, 1));
    assertThat(store.latest(v("a"), s("x0"))).contains(record("a", "x0", 1, 1));
    assertThat(store.latest(v("a-b"), s("x"))).contains(record("a-b", "x", 2, 2));
    assertThat(store.version(v("a-b"), s("x"), 1)).contains(record("a-b", "x", 1, 1));
    assertThat(store.latest(v("ab"), s("x"))).contains(record("ab", "x", 1, 1));
    assertThat(store.vault(v("a"))).contains(vaultRecord("a", 1));
    assertThat(store.vault(v("a-b"))).contains(vaultRecord("a-b", 1));
    assertThat(names(store.list(v("a"), Optional.empty(), 10)))
        .containsExactly("b-x", "x-y", "x.y", "x0");
    assertThat(names(store.list(v("a-b"), Optional.empty(), 10))).containsExactly("x");
    assertThat(names(store.list(v("ab"), Optional.empty(), 10))).containsExactly("x");
    assertThat(store.list(v("b"), Optional.empty(), 10)).isEmpty();
    assertThat(names(store.list(v("a"), Optional.of(s("x")), 10)))
        .containsExactly("x-y", "x.y", "x0");
  }

  // --- stages (application-level; not the replication activation state)

  @Test
  void aPutsStageMapIsTheSecretsAndSurvivesReopen() {
    apply(put(VAULT, "x", 1, 1, new StageMap(1, 0, 0)));
    apply(put(VAULT, "x", 2, 2, new StageMap(1, 0, 2)));

    assertThat(store.stages(v(VAULT), s("x"))).contains(new StageMap(1, 0, 2));
    assertThat(store.latest(v(VAULT), s("x"))).contains(record(VAULT, "x", 2, 2));
    assertThat(store.stages(v(VAULT), s("y"))).isEmpty();
    assertThat(store.stages(v(OTHER_VAULT), s("x"))).isEmpty();
    reopenStore();
    assertThat(store.stages(v(VAULT), s("x"))).contains(new StageMap(1, 0, 2));
  }

  @Test
  void theStageMapOfTheHighestEntityVersionWinsInAnyOrder() {
    apply(stagesChanged(VAULT, "x", 3, new StageMap(2, 1, 0)));
    apply(put(VAULT, "x", 2, 2, new StageMap(1, 0, 2)));
    apply(put(VAULT, "x", 1, 1, new StageMap(1, 0, 0)));

    assertThat(store.stages(v(VAULT), s("x"))).contains(new StageMap(2, 1, 0));

    apply(stagesChanged(VAULT, "x", 3, new StageMap(2, 1, 0)));
    apply(put(VAULT, "x", 2, 2, new StageMap(1, 0, 2)));

    assertThat(store.stages(v(VAULT), s("x"))).contains(new StageMap(2, 1, 0));
  }

  @Test
  void aStageChangeAloneDoesNotMakeASecretExist() {
    apply(stagesChanged(VAULT, "x", 2, new StageMap(1, 0, 0)));

    assertThat(store.stages(v(VAULT), s("x"))).isEmpty();
    assertThat(store.list(v(VAULT), Optional.empty(), 10)).isEmpty();

    apply(put(VAULT, "x", 1, 1, new StageMap(1, 0, 0)));

    assertThat(store.stages(v(VAULT), s("x"))).contains(new StageMap(1, 0, 0));
  }

  @Test
  void aTombstoneHidesEveryStageMapUpToItsEntityVersion() {
    apply(put(VAULT, "x", 1, 1, new StageMap(1, 0, 0)));
    apply(stagesChanged(VAULT, "x", 2, new StageMap(1, 0, 0)));
    apply(deleted(VAULT, "x", 3));
    apply(stagesChanged(VAULT, "x", 2, new StageMap(1, 0, 0)));

    assertThat(store.stages(v(VAULT), s("x"))).isEmpty();

    apply(put(VAULT, "x", 4, 2, new StageMap(0, 0, 2)));

    assertThat(store.stages(v(VAULT), s("x"))).contains(new StageMap(0, 0, 2));
    reopenStore();
    assertThat(store.stages(v(VAULT), s("x"))).contains(new StageMap(0, 0, 2));
    assertThat(store.version(v(VAULT), s("x"), 1)).isEmpty();
  }

  @Test
  void aStageMapMayNameAVersionNotAppliedYet() {
    apply(put(VAULT, "x", 1, 1, new StageMap(1, 0, 0)));
    apply(stagesChanged(VAULT, "x", 3, new StageMap(2, 1, 0)));

    assertThat(store.stages(v(VAULT), s("x"))).contains(new StageMap(2, 1, 0));
    assertThat(store.version(v(VAULT), s("x"), 2)).isEmpty();
  }

  @Test
  void stagesInABatchSeeEarlierEventsOfTheSameBatch() {
    apply(
        put(VAULT, "x", 1, 1, new StageMap(1, 0, 0)),
        put(VAULT, "x", 2, 2, new StageMap(1, 0, 2)),
        stagesChanged(VAULT, "x", 3, new StageMap(2, 1, 0)),
        stagesChanged(VAULT, "x", 2, new StageMap(1, 0, 2)));

    assertThat(store.stages(v(VAULT), s("x"))).contains(new StageMap(2, 1, 0));
  }

  @Test
  void aStageChangeWithoutAStageMapIsRejectedWhole() {
    LogPosition before = store.appliedPosition();
    SecretStagesChanged bad = new SecretStagesChanged(v(VAULT), s("x"), 2, null, createdAt(2, 1));

    assertThatThrownBy(() -> store.apply(batch(put(VAULT, "x", 1, 1), bad)))
        .isInstanceOf(NullPointerException.class);
    assertThat(store.appliedPosition()).isEqualTo(before);
    assertThat(store.stages(v(VAULT), s("x"))).isEmpty();
  }

  // --- helpers

  private void reopenStore() {
    store = reopen(store);
  }

  private void apply(ReplicationEvent... events) {
    store.apply(batch(events));
  }

  private List<PositionedEvent> batch(ReplicationEvent... events) {
    List<PositionedEvent> batch = new ArrayList<>();
    long txId = nextTxId++;
    for (int i = 0; i < events.length; i++) {
      batch.add(new PositionedEvent(new LogPosition(txId, i), events[i]));
    }
    return batch;
  }

  private static PositionedEvent at(long txId, long seq, ReplicationEvent event) {
    return new PositionedEvent(new LogPosition(txId, seq), event);
  }

  /** {@link ReplicaEvents#put} without its sanity, to build events a store must reject. */
  private static SecretVersionPut badPut(
      String vault, String secret, long entityVersion, long version) {
    return new SecretVersionPut(
        v(vault),
        s(secret),
        entityVersion,
        version,
        createdAt(entityVersion, version),
        sealed(vault, secret, entityVersion, version));
  }

  private void assertDeleted(String vault, String secret, long upToVersion) {
    assertThat(store.latest(v(vault), s(secret))).isEmpty();
    for (long version = 1; version <= upToVersion; version++) {
      assertThat(store.version(v(vault), s(secret), version)).isEmpty();
    }
    assertThat(names(store.list(v(vault), Optional.empty(), 1000))).doesNotContain(secret);
  }

  private ObservableState observe() {
    return ObservableState.capture(
        store, List.of(v(VAULT), v(OTHER_VAULT)), List.of(s("x"), s("y"), s("z")), 5);
  }

  private static SecretVersionRecord record(
      String vault, String secret, long entityVersion, long version) {
    return new SecretVersionRecord(
        v(vault),
        s(secret),
        version,
        createdAt(entityVersion, version),
        sealed(vault, secret, entityVersion, version));
  }

  private static VaultRecord vaultRecord(String vault, long entityVersion) {
    var event = vaultCreated(vault, entityVersion);
    return new VaultRecord(event.vault(), event.keys(), event.createdAt());
  }

  private static List<String> names(List<SecretMetadata> page) {
    return page.stream().map(m -> m.name().value()).toList();
  }

  private static VaultName v(String name) {
    return VaultName.of(name);
  }

  private static SecretName s(String name) {
    return SecretName.of(name);
  }
}
