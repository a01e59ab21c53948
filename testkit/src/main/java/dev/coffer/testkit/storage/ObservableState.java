package dev.coffer.testkit.storage;

import dev.coffer.core.model.SecretMetadata;
import dev.coffer.core.model.SecretName;
import dev.coffer.core.model.SecretVersionRecord;
import dev.coffer.core.model.StageMap;
import dev.coffer.core.model.VaultName;
import dev.coffer.core.model.VaultRecord;
import dev.coffer.core.storage.ReplicaStore;
import dev.coffer.core.storage.SecretReadAccessor;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Everything a reader can see of some vaults and secrets, as one comparable value: two stores are
 * observably equal for those names when their captures are equal.
 */
public record ObservableState(
    Map<VaultName, Optional<VaultRecord>> vaults,
    Map<String, Optional<SecretVersionRecord>> latest,
    Map<String, Optional<StageMap>> stages,
    Map<String, Optional<SecretVersionRecord>> versions,
    Map<VaultName, List<SecretMetadata>> lists,
    Map<VaultName, List<SecretMetadata>> pagedLists) {

  /**
   * Reads every vault in {@code vaults}, and for every secret name in each of them its latest, its
   * stage map and its versions 0..{@code maxVersion + 1}; lists each vault whole and in pages of
   * two.
   */
  public static ObservableState capture(
      ReplicaStore store,
      Collection<VaultName> vaults,
      Collection<SecretName> secrets,
      long maxVersion) {
    Map<VaultName, Optional<VaultRecord>> vaultRecords = new TreeMap<>();
    Map<String, Optional<SecretVersionRecord>> latest = new TreeMap<>();
    Map<String, Optional<StageMap>> stages = new TreeMap<>();
    Map<String, Optional<SecretVersionRecord>> versions = new TreeMap<>();
    Map<VaultName, List<SecretMetadata>> lists = new TreeMap<>();
    Map<VaultName, List<SecretMetadata>> pagedLists = new TreeMap<>();
    for (VaultName vault : vaults) {
      vaultRecords.put(vault, store.vault(vault));
      for (SecretName secret : secrets) {
        String id = vault + "/" + secret;
        latest.put(id, store.latest(vault, secret));
        stages.put(id, store.stages(vault, secret));
        for (long version = 0; version <= maxVersion + 1; version++) {
          versions.put(id + "/" + version, store.version(vault, secret, version));
        }
      }
      lists.put(vault, store.list(vault, Optional.empty(), SecretReadAccessor.MAX_LIST_LIMIT));
      pagedLists.put(vault, listInPages(store, vault, 2));
    }
    return new ObservableState(vaultRecords, latest, stages, versions, lists, pagedLists);
  }

  public static List<SecretMetadata> listInPages(ReplicaStore store, VaultName vault, int limit) {
    List<SecretMetadata> all = new ArrayList<>();
    Optional<SecretName> after = Optional.empty();
    while (true) {
      List<SecretMetadata> page = store.list(vault, after, limit);
      all.addAll(page);
      if (page.size() < limit) {
        return all;
      }
      after = Optional.of(page.get(page.size() - 1).name());
    }
  }
}
