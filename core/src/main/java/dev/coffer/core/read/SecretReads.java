package dev.coffer.core.read;

import dev.coffer.core.crypto.SecretCrypto;
import dev.coffer.core.crypto.SecretIdentity;
import dev.coffer.core.crypto.WrappedVaultKey;
import dev.coffer.core.error.CofferException;
import dev.coffer.core.error.ErrorCode;
import dev.coffer.core.model.SecretMetadata;
import dev.coffer.core.model.SecretName;
import dev.coffer.core.model.SecretStage;
import dev.coffer.core.model.SecretVersionRecord;
import dev.coffer.core.model.StageMap;
import dev.coffer.core.model.VaultName;
import dev.coffer.core.model.VaultRecord;
import dev.coffer.core.storage.SecretLookup;
import dev.coffer.core.storage.SecretReadAccessor;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Reads and decrypts secrets from any {@link SecretReadAccessor}, turning absence into the precise
 * not-found error a client needs.
 */
public final class SecretReads {
  private final SecretReadAccessor accessor;
  private final SecretCrypto crypto;

  public SecretReads(SecretReadAccessor accessor, SecretCrypto crypto) {
    this.accessor = accessor;
    this.crypto = crypto;
  }

  /** Version {@code n} when present, else the CURRENT version. */
  public RevealedSecret read(VaultName vault, SecretName secret, OptionalLong version) {
    return read(vault, secret, VersionSelector.of(version));
  }

  /**
   * The vault, the stage map and the version come from one {@link SecretReadAccessor#lookup}, which
   * a store may answer in one query. Where it makes separate reads, the stage map is read first and
   * decides which version a stage read returns; the stages shown with the version come from that
   * map. A promotion landing between the two reads can therefore show a version with the stages it
   * had a moment before, never a version in a stage it has not held.
   *
   * @throws CofferException VAULT_NOT_FOUND, SECRET_NOT_FOUND, NO_VERSION_IN_STAGE (the secret has
   *     versions, none in that stage), VERSION_NOT_FOUND (no such live version, or a replica that
   *     has not applied the version its stage map names yet)
   */
  public RevealedSecret read(VaultName vault, SecretName secret, VersionSelector selector) {
    SecretLookup found =
        (selector instanceof VersionSelector.ByStage byStage
                ? accessor.lookup(vault, secret, byStage.stage())
                : accessor.lookup(vault, secret, ((VersionSelector.ByVersion) selector).version()))
            .orElseThrow(() -> vaultNotFound());
    StageMap stages = found.stages().orElseThrow(() -> secretNotFound());
    long number;
    if (selector instanceof VersionSelector.ByStage byStage) {
      number = stages.versionIn(byStage.stage());
      if (number == 0) {
        throw noVersionIn(byStage.stage(), stages);
      }
    } else {
      number = ((VersionSelector.ByVersion) selector).version();
    }
    SecretVersionRecord record =
        found.version().orElseThrow(() -> versionNotFound(vault, secret, number));
    return new RevealedSecret(
        vault,
        secret,
        record.version(),
        record.createdAt(),
        stages.stagesOf(record.version()),
        crypto.open(
            new SecretIdentity(vault, secret, record.version()),
            sealedUnder(found.vault(), record),
            record.sealed()));
  }

  /**
   * The vault key version the record was sealed under. The ring was read before the record (or with
   * it, where the store answers a lookup in one query), and a rotation landing in between can hand
   * us a record sealed (or rewrapped) under a version newer than that ring; the store holds a
   * version in the ring before anything is sealed under it, so one fresh read of the ring then has
   * it. Retired versions leave the ring only once nothing is sealed under them, so an older ring
   * never lacks the version a record needs.
   */
  private WrappedVaultKey sealedUnder(VaultRecord vaultRecord, SecretVersionRecord record) {
    int needed = record.sealed().vaultKeyVersion();
    return vaultRecord
        .keys()
        .version(needed)
        .or(() -> requireVault(vaultRecord.name()).keys().version(needed))
        .orElseThrow(
            () ->
                new CofferException(
                    ErrorCode.DECRYPTION_FAILED,
                    "The secret was sealed under vault key version "
                        + needed
                        + ", which its vault no longer holds."));
  }

  public List<SecretMetadata> list(VaultName vault, Optional<SecretName> after, int limit) {
    requireVault(vault);
    return accessor.list(vault, after, limit);
  }

  private VaultRecord requireVault(VaultName vault) {
    return accessor.vault(vault).orElseThrow(() -> vaultNotFound());
  }

  private static CofferException vaultNotFound() {
    return new CofferException(ErrorCode.VAULT_NOT_FOUND, "No vault of that name exists here.");
  }

  private static CofferException secretNotFound() {
    return new CofferException(
        ErrorCode.SECRET_NOT_FOUND, "No secret of that name exists in the vault.");
  }

  /** The error for a version a secret does not have, worded the same wherever it is raised. */
  public static CofferException versionNotFound(VaultName vault, SecretName secret, long version) {
    return new CofferException(
        ErrorCode.VERSION_NOT_FOUND, "The secret has no version " + version + ".");
  }

  private static CofferException noVersionIn(SecretStage stage, StageMap stages) {
    String hint =
        stage == SecretStage.CURRENT && stages.pending() != 0
            ? " Its PENDING version is " + stages.pending() + "; promote it to make it CURRENT."
            : "";
    return new CofferException(
        ErrorCode.NO_VERSION_IN_STAGE, "The secret has no " + stage + " version." + hint);
  }
}
