package dev.coffer.replication.accessor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.coffer.core.crypto.VaultKeyRing;
import dev.coffer.core.crypto.WrappedVaultKey;
import dev.coffer.core.error.CofferException;
import dev.coffer.core.model.LogPosition;
import dev.coffer.core.model.SecretMetadata;
import dev.coffer.core.model.SecretName;
import dev.coffer.core.model.SecretStage;
import dev.coffer.core.model.SecretVersionRecord;
import dev.coffer.core.model.StageMap;
import dev.coffer.core.model.VaultName;
import dev.coffer.core.model.VaultRecord;
import dev.coffer.core.storage.SecretLookup;
import dev.coffer.core.storage.SecretReadAccessor;
import dev.coffer.core.storage.ShardWriteStore;
import dev.coffer.core.storage.ShardWriteStore.WriteOutcome;
import dev.coffer.replication.postgres.PostgresShardStore;
import dev.coffer.replication.postgres.ShardDatabase;
import dev.coffer.replication.testing.ShardStoreExtension;
import dev.coffer.replication.testing.TestSealer;
import dev.coffer.testkit.crypto.FakeVaultKeys;
import dev.coffer.testkit.storage.AccessorAsReplica;
import dev.coffer.testkit.storage.ObservableState;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What every {@link SecretReadAccessor} of a shard answers after writes through the shard store.
 * Data-plane hosts read either remotely (the shard store itself) or locally (a replica kept by a
 * tailer); both run this contract, so the two answer identically once the local one has caught up
 * with a write's position.
 */
public abstract class SecretReadAccessorContract {
  protected static final VaultName VAULT = VaultName.of("payments");
  protected static final VaultName OTHER_VAULT = VaultName.of("payments-eu");
  private static final SecretName SECRET = SecretName.of("db-password");

  /** The writer: every write goes through the shard store. */
  protected PostgresShardStore store;

  private SecretReadAccessor accessor;

  /** The accessor under test, reading the shard that {@link #store} writes to. */
  protected abstract SecretReadAccessor openAccessor(ShardDatabase database);

  /**
   * Blocks until the accessor's state includes {@code position} (fails the test if it never does).
   */
  protected abstract void awaitIncludes(LogPosition position);

  /** Releases what {@link #openAccessor} started. */
  protected void closeAccessor() {}

  @RegisterExtension static final ShardStoreExtension SHARD = new ShardStoreExtension();

  @BeforeEach
  void openShard() {
    ShardDatabase database = SHARD.database();
    store = new PostgresShardStore(database);
    accessor = openAccessor(database);
  }

  @AfterEach
  void closeShard() {
    closeAccessor();
  }

  // --- vaults

  @Test
  void anUnknownVaultHasNothing() {
    created(OTHER_VAULT);

    assertThat(accessor.vault(VAULT)).isEmpty();
    assertThat(accessor.latest(VAULT, SECRET)).isEmpty();
    assertThat(accessor.version(VAULT, SECRET, 1)).isEmpty();
    assertThat(accessor.list(VAULT, Optional.empty(), 10)).isEmpty();
  }

  @Test
  void aCreatedVaultIsReadableWithItsKey() {
    created(VAULT);

    VaultRecord record = accessor.vault(VAULT).orElseThrow();
    assertThat(record.name()).isEqualTo(VAULT);
    assertThat(record.keys()).isEqualTo(VaultKeyRing.of(key(VAULT)));
    assertThat(record).isEqualTo(store.vault(VAULT).orElseThrow());
    assertThat(accessor.vault(OTHER_VAULT)).isEmpty();
    assertThat(accessor.list(VAULT, Optional.empty(), 10)).isEmpty();
  }

  // --- secrets

  @Test
  void latestIsTheHighestVersionAndEveryVersionIsReadable() {
    created(VAULT);
    for (int i = 1; i <= 3; i++) {
      assertThat(put(VAULT, SECRET, "v" + i).version()).isEqualTo(i);
    }

    SecretVersionRecord latest = accessor.latest(VAULT, SECRET).orElseThrow();
    assertThat(latest.version()).isEqualTo(3);
    assertThat(latest.vault()).isEqualTo(VAULT);
    assertThat(latest.secret()).isEqualTo(SECRET);
    assertThat(latest.sealed()).isEqualTo(TestSealer.sealed("v3", 3));
    for (int i = 1; i <= 3; i++) {
      SecretVersionRecord version = accessor.version(VAULT, SECRET, i).orElseThrow();
      assertThat(version.sealed()).isEqualTo(TestSealer.sealed("v" + i, i));
      assertThat(version).isEqualTo(store.version(VAULT, SECRET, i).orElseThrow());
    }
    assertThat(accessor.version(VAULT, SECRET, 0)).isEmpty();
    assertThat(accessor.version(VAULT, SECRET, 4)).isEmpty();
    assertThat(accessor.version(VAULT, SECRET, -1)).isEmpty();
    assertThat(accessor.latest(VAULT, SecretName.of("db-passwor"))).isEmpty();
    assertThat(accessor.latest(OTHER_VAULT, SECRET)).isEmpty();
  }

  @Test
  void aDeletedSecretIsGoneAndAPutAfterwardsContinuesItsNumbers() {
    created(VAULT);
    for (int i = 1; i <= 3; i++) {
      put(VAULT, SECRET, "v" + i);
    }
    SecretName kept = SecretName.of("kept");
    put(VAULT, kept, "kept");

    deleted(VAULT, SECRET);

    assertThat(accessor.latest(VAULT, SECRET)).isEmpty();
    for (int i = 1; i <= 3; i++) {
      assertThat(accessor.version(VAULT, SECRET, i)).isEmpty();
    }
    assertThat(accessor.list(VAULT, Optional.empty(), 10))
        .extracting(SecretMetadata::name)
        .containsExactly(kept);

    assertThat(put(VAULT, SECRET, "again").version()).isEqualTo(4);

    assertThat(accessor.latest(VAULT, SECRET))
        .get()
        .satisfies(
            r -> {
              assertThat(r.version()).isEqualTo(4);
              assertThat(r.sealed()).isEqualTo(TestSealer.sealed("again", 4));
            });
    for (int i = 1; i <= 3; i++) {
      assertThat(accessor.version(VAULT, SECRET, i)).isEmpty();
    }
    assertThat(accessor.list(VAULT, Optional.empty(), 10))
        .extracting(SecretMetadata::name, SecretMetadata::latestVersion)
        .containsExactly(tuple(SECRET, 4L), tuple(kept, 1L));
  }

  @Test
  void listIsInByteOrderPagedByNameAndPerVault() {
    created(VAULT);
    created(OTHER_VAULT);
    List<String> names =
        List.of("b", "B", "a", "A", "a.b", "a-b", "a_b", "a0", "a9", "0", "Z", "z", "a-", "a.");
    for (String name : names) {
      put(VAULT, SecretName.of(name), name);
    }
    put(VAULT, SecretName.of("a0"), "a0 again");
    put(VAULT, SecretName.of("gone"), "gone");
    deleted(VAULT, SecretName.of("gone"));
    put(OTHER_VAULT, SecretName.of("a1"), "elsewhere");

    List<String> byteOrder = new ArrayList<>(names);
    byteOrder.sort(
        Comparator.comparing(n -> n.getBytes(StandardCharsets.US_ASCII), Arrays::compareUnsigned));
    List<SecretMetadata> expected = new ArrayList<>();
    for (String name : byteOrder) {
      SecretVersionRecord latest = store.latest(VAULT, SecretName.of(name)).orElseThrow();
      expected.add(new SecretMetadata(SecretName.of(name), latest.version(), latest.createdAt()));
    }

    assertThat(accessor.list(VAULT, Optional.empty(), SecretReadAccessor.MAX_LIST_LIMIT))
        .isEqualTo(expected);
    List<SecretMetadata> paged = new ArrayList<>();
    Optional<SecretName> after = Optional.empty();
    while (true) {
      List<SecretMetadata> page = accessor.list(VAULT, after, 3);
      assertThat(page.size()).isLessThanOrEqualTo(3);
      paged.addAll(page);
      if (page.size() < 3) {
        break;
      }
      after = Optional.of(page.get(page.size() - 1).name());
    }
    assertThat(paged).isEqualTo(expected);
    assertThat(accessor.list(VAULT, Optional.of(SecretName.of("a1")), 2))
        .extracting(m -> m.name().value())
        .containsExactly("a9", "a_b");
    assertThat(accessor.list(VAULT, Optional.of(SecretName.of("z")), 2)).isEmpty();
    assertThat(accessor.list(OTHER_VAULT, Optional.empty(), 10))
        .extracting(m -> m.name().value())
        .containsExactly("a1");
    assertThat(accessor.list(VaultName.of("nowhere"), Optional.empty(), 10)).isEmpty();
    assertThatThrownBy(() -> accessor.list(VAULT, Optional.empty(), 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> accessor.list(VAULT, Optional.empty(), SecretReadAccessor.MAX_LIST_LIMIT + 1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  // --- stages (application-level, not activation)

  @Test
  void stagesFollowPutsAndPromotions() {
    created(VAULT);
    put(VAULT, SECRET, "v1");
    WriteOutcome pending =
        visible(store.putSecret(VAULT, SECRET, SecretStage.PENDING, sealer("v2")));

    assertThat(pending.stages()).isEqualTo(new StageMap(1, 0, 2));
    assertThat(accessor.stages(VAULT, SECRET)).contains(new StageMap(1, 0, 2));
    assertThat(accessor.latest(VAULT, SECRET).orElseThrow().version()).isEqualTo(2);

    WriteOutcome promoted = visible(store.promoteToCurrent(VAULT, SECRET, 2));

    assertThat(promoted.stages()).isEqualTo(new StageMap(2, 1, 0));
    assertThat(accessor.stages(VAULT, SECRET)).contains(new StageMap(2, 1, 0));

    WriteOutcome again = visible(store.promoteToCurrent(VAULT, SECRET, 2));

    assertThat(again.stages()).isEqualTo(new StageMap(2, 1, 0));
    assertThat(again.position()).isGreaterThan(promoted.position());
    assertThat(accessor.stages(VAULT, SECRET)).contains(new StageMap(2, 1, 0));
    assertThat(accessor.stages(VAULT, SecretName.of("other"))).isEmpty();
  }

  @Test
  void aDeleteClearsStagesAndAPutAfterItStartsAFreshMap() {
    created(VAULT);
    put(VAULT, SECRET, "v1");
    put(VAULT, SECRET, "v2");
    deleted(VAULT, SECRET);

    assertThat(accessor.stages(VAULT, SECRET)).isEmpty();

    visible(store.putSecret(VAULT, SECRET, SecretStage.PENDING, sealer("v3")));

    assertThat(accessor.stages(VAULT, SECRET)).contains(new StageMap(0, 0, 3));
  }

  // --- lookups: vault, stages and version for one read

  @Test
  void aLookupFindsTheVaultTheStagesAndTheVersionTheStageOrNumberNames() {
    assertThat(accessor.lookup(VAULT, SECRET, SecretStage.CURRENT)).isEmpty();
    assertThat(accessor.lookup(VAULT, SECRET, 1)).isEmpty();

    created(VAULT);
    VaultRecord vault = accessor.vault(VAULT).orElseThrow();

    assertThat(accessor.lookup(VAULT, SECRET, SecretStage.CURRENT))
        .contains(new SecretLookup(vault, Optional.empty(), Optional.empty()));
    assertThat(accessor.lookup(VAULT, SECRET, 1))
        .contains(new SecretLookup(vault, Optional.empty(), Optional.empty()));

    visible(store.putSecret(VAULT, SECRET, SecretStage.PENDING, sealer("v1")));

    // Only a PENDING version so far: CURRENT names none.
    assertThat(accessor.lookup(VAULT, SECRET, SecretStage.CURRENT))
        .contains(new SecretLookup(vault, Optional.of(new StageMap(0, 0, 1)), Optional.empty()));
    assertThat(accessor.lookup(VAULT, SECRET, SecretStage.PENDING))
        .contains(found(vault, new StageMap(0, 0, 1), 1));

    put(VAULT, SECRET, "v2");
    put(VAULT, SECRET, "v3");
    visible(store.putSecret(VAULT, SECRET, SecretStage.PENDING, sealer("v4")));
    StageMap stages = new StageMap(3, 2, 4);

    assertThat(accessor.lookup(VAULT, SECRET, SecretStage.CURRENT))
        .contains(found(vault, stages, 3));
    assertThat(accessor.lookup(VAULT, SECRET, SecretStage.PREVIOUS))
        .contains(found(vault, stages, 2));
    assertThat(accessor.lookup(VAULT, SECRET, SecretStage.PENDING))
        .contains(found(vault, stages, 4));
    for (long n = 1; n <= 4; n++) {
      assertThat(accessor.lookup(VAULT, SECRET, n)).contains(found(vault, stages, n));
    }
    assertThat(accessor.lookup(VAULT, SECRET, 5))
        .contains(new SecretLookup(vault, Optional.of(stages), Optional.empty()));
    assertThat(accessor.lookup(VAULT, SecretName.of("db-passwor"), 1))
        .contains(new SecretLookup(vault, Optional.empty(), Optional.empty()));
    assertThat(accessor.lookup(OTHER_VAULT, SECRET, 1)).isEmpty();

    visible(store.promoteToCurrent(VAULT, SECRET, 4));

    assertThat(accessor.lookup(VAULT, SECRET, SecretStage.CURRENT))
        .contains(found(vault, new StageMap(4, 3, 0), 4));

    deleted(VAULT, SECRET);

    for (SecretStage stage : SecretStage.values()) {
      assertThat(accessor.lookup(VAULT, SECRET, stage))
          .contains(new SecretLookup(vault, Optional.empty(), Optional.empty()));
    }
    assertThat(accessor.lookup(VAULT, SECRET, 4))
        .contains(new SecretLookup(vault, Optional.empty(), Optional.empty()));
  }

  /** What the lookup must equal: the three separate reads agreeing with each other. */
  private SecretLookup found(VaultRecord vault, StageMap stages, long version) {
    SecretVersionRecord record = accessor.version(VAULT, SECRET, version).orElseThrow();
    assertThat(record.sealed()).isEqualTo(TestSealer.sealed("v" + version, version));
    return new SecretLookup(vault, Optional.of(stages), Optional.of(record));
  }

  // --- position

  @Test
  void positionIncludesEveryWriteAndNeverGoesBack() {
    List<Supplier<WriteOutcome>> history =
        List.of(
            () -> created(VAULT),
            () -> put(VAULT, SECRET, "v1"),
            () -> put(VAULT, SECRET, "v2"),
            () -> created(OTHER_VAULT),
            () -> deleted(VAULT, SECRET),
            () -> put(OTHER_VAULT, SECRET, "w1"));
    LogPosition previous = accessor.position();
    List<WriteOutcome> writes = new ArrayList<>();
    for (Supplier<WriteOutcome> write : history) {
      writes.add(write.get());
      // The helper has waited for this write; the position must cover it and all before it.
      LogPosition position = accessor.position();
      assertThat(position).isGreaterThanOrEqualTo(previous);
      assertThat(writes).allSatisfy(w -> assertThat(position.isAtLeast(w.position())).isTrue());
      previous = position;
    }
  }

  // --- failures

  @Test
  void failedWritesLeaveNoTrace() {
    created(VAULT);
    put(VAULT, SECRET, "v1");
    SecretName fresh = SecretName.of("fresh");
    IllegalStateException boom = new IllegalStateException("sealing failed");

    assertThatThrownBy(() -> store.putSecret(VAULT, SECRET, TestSealer.failing(boom)))
        .isSameAs(boom);
    assertThatThrownBy(() -> store.putSecret(VAULT, fresh, TestSealer.failing(boom)))
        .isSameAs(boom);
    assertThatThrownBy(() -> store.createVault(VAULT, key(OTHER_VAULT)))
        .isInstanceOf(CofferException.class);
    assertThatThrownBy(() -> store.putSecret(OTHER_VAULT, SECRET, TestSealer.of("x")))
        .isInstanceOf(CofferException.class);
    // A later successful write: once it is visible, so would be anything before it.
    put(VAULT, SecretName.of("later"), "later");

    assertThat(accessor.latest(VAULT, SECRET).orElseThrow().version()).isEqualTo(1);
    assertThat(accessor.version(VAULT, SECRET, 2)).isEmpty();
    assertThat(accessor.latest(VAULT, fresh)).isEmpty();
    assertThat(accessor.vault(VAULT).orElseThrow().keys()).isEqualTo(VaultKeyRing.of(key(VAULT)));
    assertThat(accessor.vault(OTHER_VAULT)).isEmpty();
    assertThat(accessor.list(VAULT, Optional.empty(), 10))
        .extracting(m -> m.name().value())
        .containsExactly("db-password", "later");
    assertThat(put(VAULT, SECRET, "v2").version()).isEqualTo(2);
  }

  // --- agreement with the source of truth

  @Test
  void everythingObservableEqualsTheShardStoreAfterAMixedHistory() {
    List<VaultName> vaults = List.of(VAULT, OTHER_VAULT);
    List<SecretName> secrets =
        List.of(SecretName.of("x"), SecretName.of("x.y"), SecretName.of("x-y"), SecretName.of("b"));
    for (VaultName vault : vaults) {
      created(vault);
    }
    Random random = new Random(20300101);
    LogPosition last = LogPosition.ZERO;
    for (int i = 0; i < 30; i++) {
      VaultName vault = vaults.get(random.nextInt(vaults.size()));
      SecretName secret = secrets.get(random.nextInt(secrets.size()));
      Optional<SecretVersionRecord> latest = store.latest(vault, secret);
      int choice = random.nextInt(8);
      if (choice < 2 && latest.isPresent()) {
        last = store.deleteSecret(vault, secret).position();
      } else if (choice < 4 && latest.isPresent()) {
        long version = 1L + random.nextInt((int) latest.get().version());
        if (store.version(vault, secret, version).isPresent()) {
          last = store.promoteToCurrent(vault, secret, version).position();
        }
      } else if (choice == 4) {
        last = store.putSecret(vault, secret, SecretStage.PENDING, sealer("h" + i)).position();
      } else {
        last = store.putSecret(vault, secret, TestSealer.of("h" + i)).position();
      }
    }
    awaitIncludes(last);

    long maxVersion = 0;
    for (VaultName vault : vaults) {
      for (SecretMetadata m : store.list(vault, Optional.empty(), 100)) {
        maxVersion = Math.max(maxVersion, m.latestVersion());
      }
    }
    assertThat(
            ObservableState.capture(new AccessorAsReplica(accessor), vaults, secrets, maxVersion))
        .isEqualTo(
            ObservableState.capture(new AccessorAsReplica(store), vaults, secrets, maxVersion));
    for (VaultName vault : vaults) {
      for (SecretName secret : secrets) {
        for (SecretStage stage : SecretStage.values()) {
          assertThat(accessor.lookup(vault, secret, stage))
              .isEqualTo(store.lookup(vault, secret, stage))
              .isEqualTo(separately(vault, secret, stage));
        }
        for (long n = 1; n <= maxVersion + 1; n++) {
          assertThat(accessor.lookup(vault, secret, n))
              .isEqualTo(store.lookup(vault, secret, n))
              .isEqualTo(separately(vault, secret, OptionalLong.of(n)));
        }
      }
    }
  }

  /** A lookup by stage made of the store's separate reads. */
  private Optional<SecretLookup> separately(VaultName vault, SecretName secret, SecretStage stage) {
    return store
        .stages(vault, secret)
        .map(stages -> stages.versionIn(stage))
        .filter(n -> n > 0)
        .map(n -> separately(vault, secret, OptionalLong.of(n)))
        .orElseGet(() -> separately(vault, secret, OptionalLong.empty()));
  }

  /** A lookup of version {@code n} (or of none) made of the store's separate reads. */
  private Optional<SecretLookup> separately(VaultName vault, SecretName secret, OptionalLong n) {
    return store
        .vault(vault)
        .map(
            record -> {
              Optional<StageMap> stages = store.stages(vault, secret);
              Optional<SecretVersionRecord> version =
                  stages.isPresent() && n.isPresent()
                      ? store.version(vault, secret, n.getAsLong())
                      : Optional.empty();
              return new SecretLookup(record, stages, version);
            });
  }

  // --- writes that wait until the accessor has them

  private WriteOutcome created(VaultName vault) {
    return visible(store.createVault(vault, key(vault)));
  }

  private WriteOutcome put(VaultName vault, SecretName secret, String value) {
    return visible(store.putSecret(vault, secret, TestSealer.of(value)));
  }

  private WriteOutcome deleted(VaultName vault, SecretName secret) {
    return visible(store.deleteSecret(vault, secret));
  }

  private WriteOutcome visible(WriteOutcome outcome) {
    awaitIncludes(outcome.position());
    return outcome;
  }

  private static ShardWriteStore.VersionSealer sealer(String value) {
    return TestSealer.of(value);
  }

  protected static WrappedVaultKey key(VaultName vault) {
    return FakeVaultKeys.version(1, ("wrapped-key/" + vault).getBytes(StandardCharsets.UTF_8));
  }
}
