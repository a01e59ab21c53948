package dev.coffer.core.model;

/** Whether every member host of the cell has applied a secret version yet. */
public enum VersionState {
  /** Stored and replicating; some member host may not have it yet. */
  PENDING,
  /** Applied on every member host of the cell. */
  ACTIVE
}
