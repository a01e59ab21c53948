package dev.coffer.core.audit;

import java.util.Objects;

/**
 * One key operation to record: who asked, what, on which key, and how it ended. Entries name keys
 * by id and version only; they never hold key material or secret values, and {@code detail} is
 * built from codes and identifiers, never from an exception's message.
 *
 * @param actor who asked, as authenticated (e.g. the admin token's principal, or an operator
 *     command's user)
 * @param subject what the operation was on, e.g. {@code vault/payments}
 * @param detail anything else worth knowing (an error code on failure), or empty
 */
public record KeyAuditEntry(
    String actor, KeyOperation operation, String subject, Outcome outcome, String detail) {
  /** How the operation ended. */
  public enum Outcome {
    SUCCEEDED,
    FAILED
  }

  public KeyAuditEntry {
    Objects.requireNonNull(actor, "actor");
    Objects.requireNonNull(operation, "operation");
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(outcome, "outcome");
    detail = detail == null ? "" : detail;
    if (actor.isBlank() || subject.isBlank()) {
      throw new IllegalArgumentException("an audit entry needs an actor and a subject");
    }
  }

  public static KeyAuditEntry succeeded(String actor, KeyOperation operation, String subject) {
    return new KeyAuditEntry(actor, operation, subject, Outcome.SUCCEEDED, "");
  }

  public static KeyAuditEntry failed(
      String actor, KeyOperation operation, String subject, String detail) {
    return new KeyAuditEntry(actor, operation, subject, Outcome.FAILED, detail);
  }
}
