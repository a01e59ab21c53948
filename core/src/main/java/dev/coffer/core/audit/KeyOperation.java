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
  VAULT_KEY_RECOVERED
}
