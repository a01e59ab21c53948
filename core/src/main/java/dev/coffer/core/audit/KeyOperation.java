package dev.coffer.core.audit;

/**
 * The key operations the audit trail records. New operations are added here as they are built, so
 * that every value names something Coffer actually does.
 */
public enum KeyOperation {
  /** A vault's first key was generated and wrapped, as the vault was created. */
  VAULT_KEY_CREATED,
  /** A root key provider's first key version was created ({@code keys-init}). */
  ROOT_KEY_CREATED,
  /** A root key provider's key got a new version ({@code root-rotate}). */
  ROOT_KEY_ROTATED,
  /** A vault key was wrapped afresh by the current root keys and recovery key. */
  VAULT_KEY_REWRAPPED,
  /** A recovery key pair was generated and its private half split into shares. */
  RECOVERY_KEY_CREATED,
  /** The recovery key was reassembled from shares to restore vault keys. */
  RECOVERY_KEY_USED,
  /** A vault key was unwrapped with the recovery key and wrapped by the configured root keys. */
  VAULT_KEY_RECOVERED,
  /**
   * A vault key got a new primary version (by an operator, or because its nonce budget ran low).
   */
  VAULT_KEY_ROTATED,
  /** Every data key of a vault was rewrapped to its primary key version, proved by a count. */
  VAULT_KEY_REWRAP_FINISHED,
  /** A retired vault key version, sealing nothing any more, was removed from the vault's ring. */
  VAULT_KEY_DESTROYED
}
