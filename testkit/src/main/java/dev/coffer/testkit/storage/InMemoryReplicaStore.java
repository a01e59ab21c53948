package dev.coffer.testkit.storage;

import dev.coffer.core.event.PositionedEvent;
import dev.coffer.core.event.ReplicationEvent;
import dev.coffer.core.event.SecretDeleted;
import dev.coffer.core.event.SecretStagesChanged;
import dev.coffer.core.event.SecretVersionPut;
import dev.coffer.core.event.VaultCreated;
import dev.coffer.core.model.LogPosition;
import dev.coffer.core.model.SecretMetadata;
import dev.coffer.core.model.SecretName;
import dev.coffer.core.model.SecretVersionRecord;
import dev.coffer.core.model.StageMap;
import dev.coffer.core.model.VaultName;
import dev.coffer.core.model.VaultRecord;
import dev.coffer.core.storage.ReplicaBatches;
import dev.coffer.core.storage.ReplicaStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The reference replica store. Every operation holds the monitor, and state is plain sorted maps,
 * so the apply rules can be read off the code directly; persistent stores must be observably
 * identical to it for every set of applied events.
 *
 * <p>Per secret it keeps the live versions (each with the entity version of the put that wrote it),
 * the highest entity version of any event applied to it, the highest tombstone entity version, and
 * the stage map of the highest entity version that carried one (puts and stage changes). Those are
 * all joins (maxima, a set filtered by the maximal tombstone, and the map of the maximal entity
 * version, hidden when a tombstone at least as new has been seen), which is why the outcome depends
 * only on which events were applied, not on their order or repetition.
 */
public final class InMemoryReplicaStore implements ReplicaStore {
  private record StoredVault(long entityVersion, VaultRecord record) {}

  private record StoredVersion(long putEntityVersion, SecretVersionRecord record) {}

  private static final class SecretState {
    /**
     * Also raised by tombstones: a put at or below the tombstone is ignored entirely, and this way
     * the value is the maximum over the applied set whatever the arrival order.
     */
    long latestEntityVersion;

    long tombstoneEntityVersion;

    /** The entity version of the event that set {@link #stages}; 0 before any. */
    long stagesEntityVersion;

    StageMap stages = StageMap.NONE;

    final NavigableMap<Long, StoredVersion> versions = new TreeMap<>();
  }

  private final Map<VaultName, StoredVault> vaults = new TreeMap<>();
  private final Map<VaultName, NavigableMap<SecretName, SecretState>> secrets = new TreeMap<>();
  private LogPosition applied = LogPosition.ZERO;

  @Override
  public synchronized void apply(List<PositionedEvent> batch) {
    // Validating first means the mutation loop below cannot fail halfway, which is all the
    // atomicity a heap store needs.
    ReplicaBatches.validate(batch);
    if (batch.isEmpty()) {
      return;
    }
    for (PositionedEvent positioned : batch) {
      ReplicationEvent event = positioned.event();
      if (event instanceof VaultCreated e) {
        applyVaultCreated(e);
      } else if (event instanceof SecretVersionPut e) {
        applyPut(e);
      } else if (event instanceof SecretStagesChanged e) {
        applyStages(e);
      } else if (event instanceof SecretDeleted e) {
        applyDelete(e);
      }
    }
    applied = LogPosition.max(applied, batch.get(batch.size() - 1).position());
  }

  private void applyVaultCreated(VaultCreated e) {
    StoredVault stored = vaults.get(e.vault());
    if (stored == null || e.entityVersion() > stored.entityVersion()) {
      vaults.put(
          e.vault(),
          new StoredVault(e.entityVersion(), new VaultRecord(e.vault(), e.keys(), e.createdAt())));
    }
  }

  private void applyPut(SecretVersionPut e) {
    SecretState state = stateOf(e.vault(), e.secret());
    if (e.entityVersion() <= state.tombstoneEntityVersion) {
      return;
    }
    StoredVersion existing = state.versions.get(e.version());
    // Two puts naming the same version number cannot both come from a healthy log; keeping the
    // higher entity version keeps the result independent of arrival order even then.
    if (existing == null || e.entityVersion() > existing.putEntityVersion()) {
      state.versions.put(
          e.version(),
          new StoredVersion(
              e.entityVersion(),
              new SecretVersionRecord(
                  e.vault(), e.secret(), e.version(), e.createdAt(), e.sealed())));
    }
    setStages(state, e.entityVersion(), e.stages());
  }

  private void applyStages(SecretStagesChanged e) {
    SecretState state = stateOf(e.vault(), e.secret());
    if (e.entityVersion() <= state.tombstoneEntityVersion) {
      return;
    }
    setStages(state, e.entityVersion(), e.stages());
  }

  private static void setStages(SecretState state, long entityVersion, StageMap stages) {
    if (entityVersion > state.stagesEntityVersion) {
      state.stagesEntityVersion = entityVersion;
      state.stages = stages;
    }
    state.latestEntityVersion = Math.max(state.latestEntityVersion, entityVersion);
  }

  private void applyDelete(SecretDeleted e) {
    SecretState state = stateOf(e.vault(), e.secret());
    if (e.entityVersion() <= state.tombstoneEntityVersion) {
      return;
    }
    state.tombstoneEntityVersion = e.entityVersion();
    state.latestEntityVersion = Math.max(state.latestEntityVersion, e.entityVersion());
    state.versions.values().removeIf(v -> v.putEntityVersion() < e.entityVersion());
  }

  private SecretState stateOf(VaultName vault, SecretName secret) {
    return secrets
        .computeIfAbsent(vault, v -> new TreeMap<>())
        .computeIfAbsent(secret, s -> new SecretState());
  }

  @Override
  public synchronized LogPosition appliedPosition() {
    return applied;
  }

  @Override
  public synchronized Optional<VaultRecord> vault(VaultName vault) {
    Objects.requireNonNull(vault, "vault");
    return Optional.ofNullable(vaults.get(vault)).map(StoredVault::record);
  }

  @Override
  public synchronized Optional<SecretVersionRecord> latest(VaultName vault, SecretName secret) {
    return existing(vault, secret)
        .map(state -> state.versions.lastEntry())
        .map(entry -> entry.getValue().record());
  }

  /**
   * Present while a version is live. The map is the one of the highest entity version seen unless a
   * tombstone at least as new has been seen; a live version's put is newer than every tombstone
   * that let it live, and carried a map, so a live secret always shows a map of its own era.
   */
  @Override
  public synchronized Optional<StageMap> stages(VaultName vault, SecretName secret) {
    return existing(vault, secret)
        .filter(state -> !state.versions.isEmpty())
        .map(
            state ->
                state.stagesEntityVersion > state.tombstoneEntityVersion
                    ? state.stages
                    : StageMap.NONE);
  }

  @Override
  public synchronized Optional<SecretVersionRecord> version(
      VaultName vault, SecretName secret, long version) {
    return existing(vault, secret)
        .map(state -> state.versions.get(version))
        .map(StoredVersion::record);
  }

  @Override
  public synchronized List<SecretMetadata> list(
      VaultName vault, Optional<SecretName> after, int limit) {
    Objects.requireNonNull(vault, "vault");
    Objects.requireNonNull(after, "after");
    if (limit < 1 || limit > MAX_LIST_LIMIT) {
      throw new IllegalArgumentException("limit must be 1.." + MAX_LIST_LIMIT + ", was " + limit);
    }
    NavigableMap<SecretName, SecretState> ofVault = secrets.getOrDefault(vault, new TreeMap<>());
    NavigableMap<SecretName, SecretState> candidates =
        after.isPresent() ? ofVault.tailMap(after.get(), false) : ofVault;
    List<SecretMetadata> page = new ArrayList<>();
    for (Map.Entry<SecretName, SecretState> entry : candidates.entrySet()) {
      if (page.size() == limit) {
        break;
      }
      Map.Entry<Long, StoredVersion> latest = entry.getValue().versions.lastEntry();
      if (latest != null) {
        page.add(
            new SecretMetadata(
                entry.getKey(), latest.getKey(), latest.getValue().record().createdAt()));
      }
    }
    return List.copyOf(page);
  }

  private Optional<SecretState> existing(VaultName vault, SecretName secret) {
    Objects.requireNonNull(vault, "vault");
    Objects.requireNonNull(secret, "secret");
    return Optional.ofNullable(secrets.get(vault)).map(ofVault -> ofVault.get(secret));
  }

  /** Nothing to release; the state stays readable so a test can "reopen" the same instance. */
  @Override
  public void close() {}
}
