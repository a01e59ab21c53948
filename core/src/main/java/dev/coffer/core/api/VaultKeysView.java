package dev.coffer.core.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.coffer.core.storage.VaultKeyStore;
import java.time.Instant;
import java.util.List;

/**
 * A vault's key versions and the progress of the rewrap after its latest rotation. Names versions
 * and counts only; key material never leaves the store.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record VaultKeysView(
    String vault,
    int primaryVersion,
    List<VersionView> versions,
    RewrapView rewrap,
    String replicationToken) {

  /**
   * One version: whether it seals new writes, how many secret versions it still seals, and how many
   * encryptions under it were reported (automatic rotation's measure).
   */
  public record VersionView(
      int version, String state, long sealedSecretVersions, long encryptions) {}

  /** How far the rewrap to {@code targetVersion} has come. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record RewrapView(
      int targetVersion,
      long rewrapped,
      long remaining,
      int passes,
      String startedAt,
      String updatedAt,
      String finishedAt) {}

  public static VaultKeysView of(VaultKeyStore.KeyStatus status, String replicationToken) {
    List<VersionView> versions =
        status.versions().stream()
            .map(
                v ->
                    new VersionView(
                        v.version(),
                        v.primary() ? "PRIMARY" : "RETIRED",
                        v.sealedSecretVersions(),
                        v.encryptions()))
            .toList();
    int primary =
        status.versions().stream()
            .filter(VaultKeyStore.KeyVersionUse::primary)
            .findFirst()
            .orElseThrow()
            .version();
    RewrapView rewrap =
        status
            .rewrap()
            .map(
                r ->
                    new RewrapView(
                        r.targetVersion(),
                        r.rewrapped(),
                        r.remaining(),
                        r.passes(),
                        r.startedAt().toString(),
                        r.updatedAt().toString(),
                        r.finishedAt().map(Instant::toString).orElse(null)))
            .orElse(null);
    return new VaultKeysView(status.vault().value(), primary, versions, rewrap, replicationToken);
  }
}
