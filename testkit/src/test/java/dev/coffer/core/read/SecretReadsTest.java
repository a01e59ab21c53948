package dev.coffer.core.read;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.coffer.core.crypto.EnvelopeSecretCrypto;
import dev.coffer.core.crypto.LocalRootKeyProvider;
import dev.coffer.core.crypto.SealedSecret;
import dev.coffer.core.crypto.SecretIdentity;
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
import dev.coffer.core.model.LogPosition;
import dev.coffer.core.model.SecretMetadata;
import dev.coffer.core.model.SecretName;
import dev.coffer.core.model.SecretStage;
import dev.coffer.core.model.SecretValue;
import dev.coffer.core.model.SecretVersionRecord;
import dev.coffer.core.model.StageMap;
import dev.coffer.core.model.VaultName;
import dev.coffer.core.model.VaultRecord;
import dev.coffer.core.storage.SecretReadAccessor;
import dev.coffer.testkit.storage.InMemoryReplicaStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Reads over the reference replica store with real envelope encryption. */
class SecretReadsTest {
  private static final Instant BASE = Instant.parse("2030-01-01T00:00:00Z");
  private static final VaultName VAULT = VaultName.of("payments");
  private static final VaultName EMPTY_VAULT = VaultName.of("empty");
  private static final SecretName DB = SecretName.of("db-password");
  private static final SecretName API = SecretName.of("api-key");
  private static final SecretName GONE = SecretName.of("gone");

  private final EnvelopeSecretCrypto crypto =
      new EnvelopeSecretCrypto(
          LocalRootKeyProvider.fromBase64("root-1", LocalRootKeyProvider.generateBase64Key()),
          Duration.ofMinutes(5));
  private final InMemoryReplicaStore store = new InMemoryReplicaStore();
  private final SecretReads reads = new SecretReads(store, crypto);
  private final List<ReplicationEvent> log = new ArrayList<>();

  private WrappedVaultKey vaultKey;

  @BeforeEach
  void populate() {
    vaultKey = crypto.newVaultKey(VAULT);
    append(new VaultCreated(VAULT, 1, vaultKey, BASE));
    append(new VaultCreated(EMPTY_VAULT, 1, crypto.newVaultKey(EMPTY_VAULT), BASE));
    append(put(VAULT, DB, 1, 1, "first db password"));
    append(put(VAULT, DB, 2, 2, "second db password"));
    append(put(VAULT, API, 1, 1, "the api key"));
    append(put(VAULT, GONE, 1, 1, "deleted soon"));
    append(new SecretDeleted(VAULT, GONE, 2, BASE.plusSeconds(99)));
    applyLog();
  }

  @Test
  void readsTheLatestVersion() {
    RevealedSecret secret = reads.read(VAULT, DB, OptionalLong.empty());

    assertThat(secret.vault()).isEqualTo(VAULT);
    assertThat(secret.name()).isEqualTo(DB);
    assertThat(secret.version()).isEqualTo(2);
    assertThat(secret.createdAt()).isEqualTo(createdAt(2));
    assertThat(secret.value().asUtf8()).contains("second db password");
  }

  @Test
  void readsEachVersion() {
    RevealedSecret first = reads.read(VAULT, DB, OptionalLong.of(1));
    RevealedSecret second = reads.read(VAULT, DB, OptionalLong.of(2));

    assertThat(first.version()).isEqualTo(1);
    assertThat(first.createdAt()).isEqualTo(createdAt(1));
    assertThat(first.value()).isEqualTo(SecretValue.ofUtf8("first db password"));
    assertThat(second.version()).isEqualTo(2);
    assertThat(second.value()).isEqualTo(SecretValue.ofUtf8("second db password"));
  }

  @Test
  void theDefaultReadIsTheCurrentVersionNotTheHighest() {
    append(put(VAULT, DB, 3, 3, "rotated db password", new StageMap(2, 1, 3)));
    applyLog();

    RevealedSecret current = reads.read(VAULT, DB, VersionSelector.CURRENT);
    RevealedSecret pending = reads.read(VAULT, DB, VersionSelector.stage(SecretStage.PENDING));
    RevealedSecret previous = reads.read(VAULT, DB, VersionSelector.stage(SecretStage.PREVIOUS));

    assertThat(current.version()).isEqualTo(2);
    assertThat(current.stages()).containsExactly(SecretStage.CURRENT);
    assertThat(pending.version()).isEqualTo(3);
    assertThat(pending.value().asUtf8()).contains("rotated db password");
    assertThat(previous.version()).isEqualTo(1);
    assertThat(reads.read(VAULT, DB, VersionSelector.version(3)).stages())
        .containsExactly(SecretStage.PENDING);
  }

  @Test
  void aVersionInNoStageIsReadByNumberWithNoStages() {
    append(put(VAULT, DB, 3, 3, "third", new StageMap(3, 2, 0)));
    applyLog();

    assertThat(reads.read(VAULT, DB, VersionSelector.version(1)).stages()).isEmpty();
  }

  @Test
  void aSecretWithOnlyAPendingVersionHasNoCurrentVersion() {
    SecretName fresh = SecretName.of("fresh");
    append(put(VAULT, fresh, 1, 1, "not yet", new StageMap(0, 0, 1)));
    applyLog();

    assertThatThrownBy(() -> reads.read(VAULT, fresh, VersionSelector.CURRENT))
        .isInstanceOfSatisfying(
            CofferException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.NO_VERSION_IN_STAGE);
              assertThat(e.getMessage()).contains("PENDING version is 1").doesNotContain("not yet");
            });
    assertError(
        () -> reads.read(VAULT, fresh, VersionSelector.stage(SecretStage.PREVIOUS)),
        ErrorCode.NO_VERSION_IN_STAGE);
    assertThat(reads.read(VAULT, fresh, VersionSelector.stage(SecretStage.PENDING)).version())
        .isEqualTo(1);
  }

  @Test
  void aStageNamingAVersionNotAppliedYetIsVersionNotFound() {
    append(new SecretStagesChanged(VAULT, DB, 4, new StageMap(7, 2, 0), BASE));
    applyLog();

    assertError(() -> reads.read(VAULT, DB, VersionSelector.CURRENT), ErrorCode.VERSION_NOT_FOUND);
    assertThat(reads.read(VAULT, DB, VersionSelector.stage(SecretStage.PREVIOUS)).version())
        .isEqualTo(2);
  }

  @Test
  void aDeletedSecretIsSecretNotFoundInEveryStage() {
    for (SecretStage stage : SecretStage.values()) {
      assertError(
          () -> reads.read(VAULT, GONE, VersionSelector.stage(stage)), ErrorCode.SECRET_NOT_FOUND);
    }
  }

  @Test
  void anUnknownVaultIsVaultNotFound() {
    VaultName unknown = VaultName.of("nowhere");

    assertError(() -> reads.read(unknown, DB, OptionalLong.empty()), ErrorCode.VAULT_NOT_FOUND);
    assertError(() -> reads.read(unknown, DB, OptionalLong.of(1)), ErrorCode.VAULT_NOT_FOUND);
  }

  @Test
  void aVaultIsNotFoundEvenWhenItsSecretsArrivedFirst() {
    // Events of a vault can be applied before its VaultCreated; the vault does not exist yet.
    VaultName late = VaultName.of("late");
    append(put(late, DB, 1, 1, "early"));
    applyLog();

    assertError(() -> reads.read(late, DB, OptionalLong.empty()), ErrorCode.VAULT_NOT_FOUND);
    assertError(() -> reads.list(late, Optional.empty(), 10), ErrorCode.VAULT_NOT_FOUND);
  }

  @Test
  void anUnknownSecretIsSecretNotFound() {
    SecretName unknown = SecretName.of("nothing");

    assertError(() -> reads.read(VAULT, unknown, OptionalLong.empty()), ErrorCode.SECRET_NOT_FOUND);
    assertError(() -> reads.read(VAULT, unknown, OptionalLong.of(1)), ErrorCode.SECRET_NOT_FOUND);
    assertError(
        () -> reads.read(EMPTY_VAULT, DB, OptionalLong.empty()), ErrorCode.SECRET_NOT_FOUND);
  }

  @Test
  void aMissingVersionOfAnExistingSecretIsVersionNotFound() {
    assertError(() -> reads.read(VAULT, DB, OptionalLong.of(3)), ErrorCode.VERSION_NOT_FOUND);
    assertError(
        () -> reads.read(VAULT, DB, OptionalLong.of(Long.MAX_VALUE)), ErrorCode.VERSION_NOT_FOUND);
    assertError(() -> reads.read(VAULT, API, OptionalLong.of(2)), ErrorCode.VERSION_NOT_FOUND);
  }

  @Test
  void aDeletedSecretIsSecretNotFoundAtEveryVersion() {
    assertError(() -> reads.read(VAULT, GONE, OptionalLong.empty()), ErrorCode.SECRET_NOT_FOUND);
    assertError(() -> reads.read(VAULT, GONE, OptionalLong.of(1)), ErrorCode.SECRET_NOT_FOUND);
  }

  @Test
  void listsLiveSecretsInNameOrder() {
    List<SecretMetadata> listed = reads.list(VAULT, Optional.empty(), 10);

    assertThat(listed)
        .containsExactly(
            new SecretMetadata(API, 1, createdAt(1)), new SecretMetadata(DB, 2, createdAt(2)));
    assertThat(reads.list(VAULT, Optional.of(API), 10))
        .extracting(SecretMetadata::name)
        .containsExactly(DB);
    assertThat(reads.list(VAULT, Optional.empty(), 1))
        .extracting(SecretMetadata::name)
        .containsExactly(API);
    assertThat(reads.list(EMPTY_VAULT, Optional.empty(), 10)).isEmpty();
  }

  @Test
  void listingAnUnknownVaultIsVaultNotFound() {
    assertError(
        () -> reads.list(VaultName.of("nowhere"), Optional.empty(), 10), ErrorCode.VAULT_NOT_FOUND);
  }

  @Test
  void aVersionStoredUnderAnotherNumberDoesNotDecrypt() {
    // The store (or an attacker with write access to it) files version 1's bytes as version 3.
    SecretVersionPut v1 = (SecretVersionPut) log.get(2);
    append(new SecretVersionPut(VAULT, DB, 3, 3, createdAt(3), v1.sealed()));
    applyLog();

    assertError(() -> reads.read(VAULT, DB, OptionalLong.empty()), ErrorCode.DECRYPTION_FAILED);
    assertThat(reads.read(VAULT, DB, OptionalLong.of(1)).value().asUtf8())
        .contains("first db password");
  }

  @Test
  void aSecretCopiedWithItsVaultKeyToAnotherVaultDoesNotDecrypt() {
    VaultName copy = VaultName.of("copy");
    SecretVersionPut v2 = (SecretVersionPut) log.get(3);
    append(new VaultCreated(copy, 1, vaultKey, BASE));
    append(new SecretVersionPut(copy, DB, 1, 2, createdAt(2), v2.sealed()));
    applyLog();

    assertError(() -> reads.read(copy, DB, OptionalLong.empty()), ErrorCode.DECRYPTION_FAILED);
  }

  @Test
  void afterARotationRewrappedAndNewVersionsReadUnderTheNewKeyAndTheOldOneCanGo() {
    WrappedVaultKey v2 = crypto.newVaultKey(VAULT, 2);
    append(new VaultCreated(VAULT, 2, new VaultKeyRing(List.of(vaultKey, v2)), BASE));
    SecretVersionPut second = put(VAULT, DB, 2, 2, "second db password");
    SealedSecret rewrapped =
        crypto.rewrapDataKey(new SecretIdentity(VAULT, DB, 2), vaultKey, v2, second.sealed());
    append(new SecretVersionPut(VAULT, DB, 3, 2, createdAt(2), rewrapped, new StageMap(2, 0, 0)));
    applyLog();

    // Version 1 of DB and API are still sealed under vault key version 1, still in the ring.
    assertThat(reads.read(VAULT, DB, OptionalLong.of(1)).value().asUtf8())
        .contains("first db password");
    assertThat(reads.read(VAULT, DB, OptionalLong.empty()).value().asUtf8())
        .contains("second db password");
    assertThat(reads.read(VAULT, API, OptionalLong.empty()).value().asUtf8())
        .contains("the api key");

    append(new VaultCreated(VAULT, 3, VaultKeyRing.of(v2), BASE));
    applyLog();

    assertThat(reads.read(VAULT, DB, OptionalLong.empty()).value().asUtf8())
        .contains("second db password");
    CofferException lost =
        catchThrowableOfType(
            CofferException.class, () -> reads.read(VAULT, API, OptionalLong.empty()));
    assertThat(lost.code()).isEqualTo(ErrorCode.DECRYPTION_FAILED);
    assertThat(lost.getMessage()).contains("vault key version 1").doesNotContain("the api key");
  }

  /**
   * The ring is read before the version: a rotation and a rewrap that land in between hand the
   * reader a version sealed under a key its ring does not have yet. One fresh read of the ring
   * answers it.
   */
  @Test
  void aReadThatRacesARotationReadsTheRingAgain() {
    WrappedVaultKey v2 = crypto.newVaultKey(VAULT, 2);
    VaultKeyRing stale = VaultKeyRing.of(vaultKey);
    append(new VaultCreated(VAULT, 2, new VaultKeyRing(List.of(vaultKey, v2)), BASE));
    SealedSecret rewrapped =
        crypto.rewrapDataKey(
            new SecretIdentity(VAULT, DB, 2), vaultKey, v2, put(VAULT, DB, 2, 2, "x").sealed());
    append(new SecretVersionPut(VAULT, DB, 3, 2, createdAt(2), rewrapped, new StageMap(2, 0, 0)));
    applyLog();
    SecretReadAccessor firstRingIsStale =
        new ForwardingAccessor(store) {
          private boolean served;

          @Override
          public Optional<VaultRecord> vault(VaultName vault) {
            if (!served) {
              served = true;
              return Optional.of(new VaultRecord(vault, stale, BASE));
            }
            return super.vault(vault);
          }
        };

    assertThat(
            new SecretReads(firstRingIsStale, crypto)
                .read(VAULT, DB, OptionalLong.empty())
                .value()
                .asUtf8())
        .contains("x");
  }

  /** Delegates every call; tests override the ones they make stale. */
  private static class ForwardingAccessor implements SecretReadAccessor {
    private final SecretReadAccessor delegate;

    ForwardingAccessor(SecretReadAccessor delegate) {
      this.delegate = delegate;
    }

    @Override
    public Optional<VaultRecord> vault(VaultName vault) {
      return delegate.vault(vault);
    }

    @Override
    public Optional<SecretVersionRecord> latest(VaultName vault, SecretName secret) {
      return delegate.latest(vault, secret);
    }

    @Override
    public Optional<StageMap> stages(VaultName vault, SecretName secret) {
      return delegate.stages(vault, secret);
    }

    @Override
    public Optional<SecretVersionRecord> version(VaultName vault, SecretName secret, long version) {
      return delegate.version(vault, secret, version);
    }

    @Override
    public List<SecretMetadata> list(VaultName vault, Optional<SecretName> after, int limit) {
      return delegate.list(vault, after, limit);
    }

    @Override
    public LogPosition position() {
      return delegate.position();
    }
  }

  private SecretVersionPut put(
      VaultName vault, SecretName secret, long entityVersion, long version, String value) {
    return put(vault, secret, entityVersion, version, value, new StageMap(version, 0, 0));
  }

  private SecretVersionPut put(
      VaultName vault,
      SecretName secret,
      long entityVersion,
      long version,
      String value,
      StageMap stages) {
    SealedSecret sealed =
        crypto.seal(
            new SecretIdentity(vault, secret, version),
            vault.equals(VAULT) ? vaultKey : crypto.newVaultKey(vault),
            SecretValue.ofUtf8(value));
    return new SecretVersionPut(
        vault, secret, entityVersion, version, createdAt(version), sealed, stages);
  }

  private static Instant createdAt(long version) {
    return BASE.plusSeconds(version).plusNanos(version);
  }

  private void append(ReplicationEvent event) {
    log.add(event);
  }

  /** Applies the whole log so far, positions 1.0, 2.0, ...; replay is harmless by contract. */
  private void applyLog() {
    List<PositionedEvent> batch = new ArrayList<>();
    for (int i = 0; i < log.size(); i++) {
      batch.add(new PositionedEvent(new LogPosition(i + 1, 0), log.get(i)));
    }
    store.apply(batch);
  }

  private static void assertError(Runnable attempt, ErrorCode code) {
    assertThatThrownBy(attempt::run)
        .isInstanceOfSatisfying(CofferException.class, e -> assertThat(e.code()).isEqualTo(code));
  }
}
