package dev.coffer.core.audit;

/**
 * The key operations the audit trail records. New operations are added here as they are built, so
 * that every value names something Coffer actually does.
 */
public enum KeyOperation {
  /** A vault's first key was generated and wrapped, as the vault was created. */
  VAULT_KEY_CREATED
}
