package dev.coffer.core.storage;

import dev.coffer.core.audit.KeyAuditEntry;
import dev.coffer.core.audit.KeyAuditRecord;
import java.util.List;

/**
 * The append-only trail of key operations, in the base store. Nothing can change or remove a record
 * once appended; readers page through it in sequence order.
 */
public interface KeyAuditLog {
  int MAX_LIST_LIMIT = 1000;

  /** Appends and returns the record as stored. */
  KeyAuditRecord append(KeyAuditEntry entry);

  /** Records after {@code afterSequence} (0 for the first), oldest first, at most {@code limit}. */
  List<KeyAuditRecord> list(long afterSequence, int limit);
}
